import { InvalidSecretError, UnparsableSecretError } from "./errors.js";
import type { ConnectionSecret } from "./types.js";

/** The stored form of a connection in every secrets backend that holds JSON: `{"type", "details"}`. */
export const CONNECTION_ENVELOPE = `{"type": "<connection type>", "details": {...}}`;

export interface EnvelopeSource {
  /** The backend id, for the errors. */
  backend: string;
  /** Where the value was read, for messages: `variable BRUIN_CONNECTION_X`, `project …, environment …, path …`. */
  where: string;
  /**
   * Called with the parsed JSON before its shape is checked, e.g. to register
   * the values of sensitive fields with a redactor before any message is built.
   */
  onParsed?: (document: unknown) => void;
}

/**
 * Parses a connection stored as the JSON text `{"type": "<connection type>",
 * "details": {...}}`: the one parser every backend shares. Only the shape is
 * checked (a non-empty string `type`, an object `details`); the type and its
 * fields are the caller's connection schemas' business. Errors name the
 * connection and `where`, never the value: invalid JSON is an
 * UnparsableSecretError (JSON.parse's own message, which quotes the text, is
 * dropped), a wrong shape an InvalidSecretError whose `field` is `type` or
 * `details`.
 */
export function parseConnectionEnvelope(name: string, text: string, source: EnvelopeSource): ConnectionSecret {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UnparsableSecretError(
      `failed to parse secret as JSON: connection '${name}' (${source.where}) does not hold valid JSON; expected ${CONNECTION_ENVELOPE}`,
      { backend: source.backend, connection: name },
    );
  }
  source.onParsed?.(document);
  if (!isRecord(document)) {
    throw invalid(name, source, "type", "must be a JSON object with 'type' and 'details'");
  }
  if (typeof document.type !== "string" || document.type.trim() === "") {
    throw invalid(
      name,
      source,
      "type",
      document.type === undefined ? "has no 'type' field" : "has a 'type' that is not a non-empty string",
    );
  }
  if (!isRecord(document.details)) {
    throw invalid(
      name,
      source,
      "details",
      document.details === undefined ? "has no 'details' field" : "has a 'details' that is not an object",
    );
  }
  return { name, type: document.type, details: document.details };
}

function invalid(name: string, source: EnvelopeSource, field: string, problem: string): InvalidSecretError {
  return new InvalidSecretError(
    `invalid secret format: connection '${name}' (${source.where}) ${problem}; expected ${CONNECTION_ENVELOPE}`,
    { backend: source.backend, connection: name, field },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Detail fields whose names say they are secret. */
const SENSITIVE_FIELD =
  /password|passwd|token|secret|private_key|privatekey|service_account_json|credentials|^value$|api_key|apikey/i;

/**
 * Registers with `redactor` the values of the detail fields of a parsed
 * `{"type", "details"}` document whose names say they are secret (nested
 * objects included), before any schema knows the connection's type. Meant as
 * `parseConnectionEnvelope`'s `onParsed`. Anything that is not such a
 * document is left alone.
 */
export function registerSensitiveDetails(document: unknown, redactor: { addAll(value: unknown): unknown }): void {
  if (!isRecord(document) || !isRecord(document.details)) return;
  const visit = (record: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(record)) {
      if (SENSITIVE_FIELD.test(key)) redactor.addAll(value);
      else if (isRecord(value)) visit(value);
    }
  };
  visit(document.details);
}
