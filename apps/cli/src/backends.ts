import { awsBackendDescriptor } from "@bruin-ts/backend-aws/descriptor";
import { envBackendDescriptor } from "@bruin-ts/backend-env/descriptor";
import { fileBackendDescriptor } from "@bruin-ts/backend-file/descriptor";
import { dopplerBackendDescriptor } from "@bruin-ts/backend-doppler/descriptor";
import { azureBackendDescriptor } from "@bruin-ts/backend-azure/descriptor";
import { infisicalBackendDescriptor } from "@bruin-ts/backend-infisical/descriptor";
import { vaultBackendDescriptor } from "@bruin-ts/backend-vault/descriptor";
import type { BackendContext, BackendDescriptor, SecretsBackend } from "@bruin-ts/secrets-core";
import { UsageError } from "./errors.js";
import { proxyAgentFor } from "./proxy-agent.js";

/**
 * A backend the CLI offers: the descriptor its package exports (id,
 * description, variables; a module that loads none of the backend's code), and
 * how to create it.
 */
export interface BackendChoice extends BackendDescriptor {
  /** Imported only when chosen, so a run never loads a backend (or its SDK) it does not use. */
  create(context: BackendContext): Promise<SecretsBackend>;
  /** Talks to its service with `fetch`: the process caps the size of each answer before the backend is created (CliIO.prepareHttp). */
  overHttp?: true;
}

export const BACKENDS: readonly BackendChoice[] = [
  {
    ...fileBackendDescriptor,
    create: async (context) => (await import("@bruin-ts/backend-file")).createFileBackend(context),
  },
  {
    ...infisicalBackendDescriptor,
    overHttp: true,
    create: async (context) => (await import("@bruin-ts/backend-infisical")).createInfisicalBackend(context),
  },
  {
    ...envBackendDescriptor,
    create: async (context) => (await import("@bruin-ts/backend-env")).createEnvBackend(context),
  },
  {
    ...vaultBackendDescriptor,
    overHttp: true,
    create: async (context) => (await import("@bruin-ts/backend-vault")).createVaultBackend(context),
  },
  {
    ...dopplerBackendDescriptor,
    overHttp: true,
    create: async (context) => (await import("@bruin-ts/backend-doppler")).createDopplerBackend(context),
  },
  {
    ...azureBackendDescriptor,
    // The Azure SDK talks over node:https, not fetch, and applies HTTPS_PROXY / NO_PROXY itself, per client.
    create: async (context) => (await import("@bruin-ts/backend-azure")).createAzureBackend(context),
  },
  {
    ...awsBackendDescriptor,
    // The AWS SDK talks over node:https, not fetch: HTTPS_PROXY / NO_PROXY reach it as an agent.
    create: async (context) => {
      const [{ createAwsBackend }, agentFor] = await Promise.all([
        import("@bruin-ts/backend-aws"),
        proxyAgentFor(context.env),
      ]);
      return createAwsBackend(context, agentFor ? { agentFor } : {});
    },
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
    lines.push(`  ${backend.id.padEnd(10)} ${backend.description}`);
    for (const variable of backend.variables) {
      lines.push(
        `    ${variable.name.padEnd(30)} ${variable.required ? "required" : "optional"}: ${variable.description}`,
      );
    }
  }
  return lines.join("\n");
}
