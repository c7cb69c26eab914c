import {
  checkSecretSize,
  EXIT_CODES,
  parseConnectionEnvelope,
  type BackendContext,
  type ConnectionSecret,
  type SecretsBackend,
} from "@bruin-ts/secrets-core";
import { CONNECTION_VARIABLE_PREFIX, connectionNamesIn, connectionVariableName, hasValue } from "./variables.js";

export const BACKEND_ID = "env";

/**
 * Connections from environment variables, one JSON document per variable.
 * This is all a backend has to do: find a connection by name, return
 * `undefined` when it does not exist, check the `{"type", "details"}` shape
 * (secrets-core's `parseConnectionEnvelope`),
 * and throw the typed errors of `@bruin-ts/secrets-core` (which never quote
 * the value). Validating the type's fields is the caller's job.
 */
export function createEnvBackend(context: BackendContext): SecretsBackend {
  const { env, redactor } = context;
  return {
    id: BACKEND_ID,
    exitCode: EXIT_CODES.secretsBackend,
    describe: () => `environment variables ${CONNECTION_VARIABLE_PREFIX}*`,

    async get(name: string): Promise<ConnectionSecret | undefined> {
      const variable = connectionVariableName(name);
      const raw = env[variable];
      if (!hasValue(raw)) return undefined;
      // Over 1 MiB is refused before anything parses or registers it.
      checkSecretSize(raw, { backend: BACKEND_ID, connection: name, location: `variable ${variable}` });
      // Registered before parsing: an error quoting the value is masked too.
      redactor.add(raw);
      return parseConnectionEnvelope(name, raw, { backend: BACKEND_ID, where: `variable ${variable}` });
    },

    async list(): Promise<string[]> {
      return connectionNamesIn(env);
    },
  };
}
