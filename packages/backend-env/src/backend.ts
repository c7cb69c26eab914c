import {
  checkSecretSize,
  EXIT_CODES,
  InvalidSecretError,
  UnparsableSecretError,
  type BackendContext,
  type ConnectionSecret,
  type SecretsBackend,
} from "@bruin-ts/secrets-core";
import { CONNECTION_VARIABLE_PREFIX, connectionNamesIn, connectionVariableName, hasValue } from "./variables.js";

export const BACKEND_ID = "env";

const EXPECTED = `expected {"type": "<connection type>", "details": {...}}`;

/**
 * Connections from environment variables, one JSON document per variable.
 * This is all a backend has to do: find a connection by name, return
 * `undefined` when it does not exist, check the `{"type", "details"}` shape,
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
      return parseConnection(name, variable, raw);
    },

    async list(): Promise<string[]> {
      return connectionNamesIn(env);
    },
  };
}

function parseConnection(name: string, variable: string, raw: string): ConnectionSecret {
  let document: unknown;
  try {
    document = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the text around the error, i.e. part of the value.
    throw new UnparsableSecretError(
      `failed to parse connection '${name}' as JSON: variable ${variable} does not hold valid JSON; ${EXPECTED}`,
      { backend: BACKEND_ID, connection: name },
    );
  }
  if (!isRecord(document)) {
    throw invalid(name, variable, "type", "is not a JSON object with 'type' and 'details'");
  }
  if (typeof document.type !== "string" || document.type.trim() === "") {
    const problem = document.type === undefined ? "has no 'type' field" : "has a 'type' that is not a non-empty string";
    throw invalid(name, variable, "type", problem);
  }
  if (!isRecord(document.details)) {
    const problem = document.details === undefined ? "has no 'details' field" : "has a 'details' that is not an object";
    throw invalid(name, variable, "details", problem);
  }
  return { name, type: document.type, details: document.details };
}

function invalid(name: string, variable: string, field: string, problem: string): InvalidSecretError {
  return new InvalidSecretError(`invalid connection '${name}': variable ${variable} ${problem}; ${EXPECTED}`, {
    backend: BACKEND_ID,
    connection: name,
    field,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
