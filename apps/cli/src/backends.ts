import type { BackendContext, SecretsBackend } from "@bruin-ts/secrets-core";
import { UsageError } from "./errors.js";

export interface BackendChoice {
  id: string;
  summary: string;
  variables: Array<{ name: string; required: boolean; description: string }>;
  /** Imported only when chosen, so a run never loads a backend (or its SDK) it does not use. */
  create(context: BackendContext): Promise<SecretsBackend>;
}

export const BACKENDS: readonly BackendChoice[] = [
  {
    id: "file",
    summary: "connections from .bruin.yml (the default)",
    variables: [{ name: "BRUIN_CONFIG_FILE", required: false, description: "path of the config file" }],
    create: async (context) => (await import("@bruin-ts/backend-file")).createFileBackend(context),
  },
  {
    id: "infisical",
    summary: "connections from Infisical secrets, through a machine identity (Universal Auth)",
    variables: [
      { name: "BRUIN_INFISICAL_CLIENT_ID", required: true, description: "machine identity client ID" },
      { name: "BRUIN_INFISICAL_CLIENT_SECRET", required: true, description: "machine identity client secret" },
      { name: "BRUIN_INFISICAL_PROJECT_ID", required: true, description: "project ID" },
      { name: "BRUIN_INFISICAL_ENVIRONMENT", required: true, description: "environment slug, e.g. dev" },
      { name: "BRUIN_INFISICAL_HOST", required: false, description: "API URL (default https://app.infisical.com)" },
      { name: "BRUIN_INFISICAL_SECRET_PATH", required: false, description: "folder of the secrets (default /)" },
      { name: "BRUIN_INFISICAL_TIMEOUT", required: false, description: "seconds one read or login may take, retries included (default 30)" },
    ],
    create: async (context) => (await import("@bruin-ts/backend-infisical")).createInfisicalBackend(context),
  },
  {
    id: "env",
    summary: 'connections from BRUIN_CONNECTION_<NAME> variables holding {"type", "details"} JSON',
    // Listed here rather than imported, so that start-up loads no backend.
    variables: [
      { name: "BRUIN_CONNECTION_<NAME>", required: false, description: 'one per connection: {"type", "details"} JSON; NAME upper-cased, - as _' },
    ],
    create: async (context) => (await import("@bruin-ts/backend-env")).createEnvBackend(context),
  },
];

/** The backend named by the flag or BRUIN_SECRETS_BACKEND; empty means the file. */
export function chooseBackend(flag: string | undefined, env: Record<string, string | undefined>): BackendChoice {
  const wanted = (flag ?? env.BRUIN_SECRETS_BACKEND ?? "").trim() || "file";
  const choice = BACKENDS.find((backend) => backend.id === wanted.toLowerCase());
  if (!choice) {
    throw new UsageError(
      `unsupported secrets backend "${wanted}"; possible values: ${BACKENDS.map((b) => b.id).join(", ")}`,
    );
  }
  return choice;
}

export function describeBackends(): string {
  const lines = ["Secrets backends (--secrets-backend or BRUIN_SECRETS_BACKEND):"];
  for (const backend of BACKENDS) {
    lines.push(`  ${backend.id.padEnd(10)} ${backend.summary}`);
    for (const variable of backend.variables) {
      lines.push(`    ${variable.name.padEnd(30)} ${variable.required ? "required" : "optional"}: ${variable.description}`);
    }
  }
  return lines.join("\n");
}
