import { describe, expect, it } from "vitest";
import { envBackendDescriptor, ENV_BACKEND_VARIABLES } from "@bruin-ts/backend-env";
import { fileBackendDescriptor } from "@bruin-ts/backend-file";
import { INFISICAL_ENV_VARIABLES, infisicalBackendDescriptor } from "@bruin-ts/backend-infisical";
import { DOPPLER_ENV_VARIABLES, dopplerBackendDescriptor } from "@bruin-ts/backend-doppler";
import { VAULT_ENV_VARIABLES, vaultBackendDescriptor } from "@bruin-ts/backend-vault";
import { AZURE_ENV_VARIABLES, azureBackendDescriptor } from "@bruin-ts/backend-azure";
import { AWS_ENV_VARIABLES, awsBackendDescriptor } from "@bruin-ts/backend-aws";
import { BACKENDS, chooseBackend, describeBackends } from "./backends.js";

describe("the backends the CLI offers", () => {
  it("each says what --environment means to it: a variable it reads, no environments, or (file) its own", () => {
    const meanings = Object.fromEntries(BACKENDS.map((backend) => [backend.id, backend.environment]));
    expect(meanings).toEqual({
      file: undefined,
      infisical: { variable: "BRUIN_INFISICAL_ENVIRONMENT" },
      doppler: { variable: "BRUIN_DOPPLER_CONFIG" },
      env: { unsupported: expect.stringContaining("BRUIN_CONNECTION_<NAME>") },
      vault: { unsupported: expect.stringContaining("BRUIN_VAULT_PATH") },
      aws: { unsupported: expect.stringContaining("BRUIN_AWS_REGION") },
      azure: { unsupported: expect.stringContaining("BRUIN_AZURE_KEYVAULT_URL") },
    });
    // A variable the flag sets is one the backend reads.
    for (const backend of BACKENDS) {
      const meaning = backend.environment;
      if (meaning && "variable" in meaning) {
        expect(backend.variables.map((variable) => variable.name)).toContain(meaning.variable);
      }
    }
  });

  it("are the descriptors the backend packages export, not a copy", () => {
    for (const descriptor of [
      fileBackendDescriptor,
      infisicalBackendDescriptor,
      envBackendDescriptor,
      vaultBackendDescriptor,
      dopplerBackendDescriptor,
      azureBackendDescriptor,
      awsBackendDescriptor,
    ]) {
      const choice = BACKENDS.find((backend) => backend.id === descriptor.id);
      expect(
        choice && {
          id: choice.id,
          description: choice.description,
          variables: choice.variables,
          ...(choice.environment ? { environment: choice.environment } : {}),
        },
      ).toEqual(descriptor);
    }
    expect(BACKENDS[0]!.id).toBe("file");
    // The variables are the very lists the backends read.
    expect(BACKENDS.find((b) => b.id === "infisical")!.variables).toBe(INFISICAL_ENV_VARIABLES);
    expect(BACKENDS.find((b) => b.id === "env")!.variables).toBe(ENV_BACKEND_VARIABLES);
    expect(BACKENDS.find((b) => b.id === "vault")!.variables).toBe(VAULT_ENV_VARIABLES);
    expect(BACKENDS.find((b) => b.id === "doppler")!.variables).toBe(DOPPLER_ENV_VARIABLES);
    expect(BACKENDS.find((b) => b.id === "azure")!.variables).toBe(AZURE_ENV_VARIABLES);
    expect(BACKENDS.find((b) => b.id === "aws")!.variables).toBe(AWS_ENV_VARIABLES);
  });

  it("--help lists every variable each backend reads", () => {
    const help = describeBackends();
    for (const backend of [
      fileBackendDescriptor,
      infisicalBackendDescriptor,
      envBackendDescriptor,
      vaultBackendDescriptor,
      dopplerBackendDescriptor,
      azureBackendDescriptor,
      awsBackendDescriptor,
    ]) {
      expect(help).toContain(`  ${backend.id.padEnd(10)} ${backend.description}`);
      for (const variable of backend.variables) expect(help).toContain(variable.name);
    }
  });

  it("chooses by the descriptor's id, the flag over the variable, the file by default", () => {
    expect(chooseBackend(undefined, {}).id).toBe("file");
    expect(chooseBackend("ENV", { BRUIN_SECRETS_BACKEND: "infisical" }).id).toBe("env");
    expect(chooseBackend(undefined, { BRUIN_SECRETS_BACKEND: "infisical" }).id).toBe("infisical");
    expect(() => chooseBackend("nosuch", {})).toThrow(
      `unsupported secrets backend "nosuch"; possible values: ${BACKENDS.map((b) => b.id).join(", ")}`,
    );
  });
});
