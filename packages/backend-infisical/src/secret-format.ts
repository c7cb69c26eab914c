/**
 * The stored format: a secret named after the connection whose value is the
 * JSON document `{"type": "<connection type>", "details": {...}}`. Only the
 * shape is checked here; the type and its fields are validated by the
 * caller's connection schemas.
 */
import {
  InvalidSecretError,
  UnparsableSecretError,
  type ConnectionSecret,
  type Redactor,
} from "@bruin-ts/secrets-core";
import { BACKEND_ID } from "./config.js";

/** Detail fields masked as soon as a secret is read, before any schema knows its type. */
const SENSITIVE_FIELD = /password|passwd|token|secret|private_key|privatekey|service_account_json|credentials|^value$|api_key|apikey/i;

const EXPECTED = `expected {"type": "<connection type>", "details": {...}}`;

/**
 * Registers the secret's sensitive parts with the redactor, then parses it.
 * `where` names the place it was read from (project, environment, path).
 */
export function parseConnectionSecret(
  name: string,
  value: string,
  where: string,
  redactor: Redactor,
): ConnectionSecret {
  // The whole value first: from here on nothing that quotes it can be printed.
  redactor.add(value);
  let document: unknown;
  try {
    document = JSON.parse(value);
  } catch {
    // JSON.parse's message quotes the text near the error, i.e. part of the secret: never use it.
    throw new UnparsableSecretError(
      `failed to parse secret as JSON: connection '${name}' (${where}) does not hold valid JSON; ${EXPECTED}`,
      { backend: BACKEND_ID, connection: name },
    );
  }
  registerSensitiveDetails(document, redactor);
  if (!isRecord(document)) {
    throw invalid(name, where, "type", `the secret must be a JSON object; ${EXPECTED}`);
  }
  if (typeof document.type !== "string" || document.type.trim() === "") {
    const problem = document.type === undefined ? "has no 'type' field" : "has a 'type' that is not a non-empty string";
    throw invalid(name, where, "type", `${problem}; ${EXPECTED}`);
  }
  if (!isRecord(document.details)) {
    const problem = document.details === undefined ? "has no 'details' field" : "has a 'details' that is not an object";
    throw invalid(name, where, "details", `${problem}; ${EXPECTED}`);
  }
  return { name, type: document.type, details: document.details };
}

/** Masks the values of detail fields whose names say they are secret (nested values included). */
export function registerSensitiveDetails(document: unknown, redactor: Redactor): void {
  if (!isRecord(document) || !isRecord(document.details)) return;
  const visit = (record: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(record)) {
      if (SENSITIVE_FIELD.test(key)) redactor.addAll(value);
      else if (isRecord(value)) visit(value);
    }
  };
  visit(document.details);
}

function invalid(name: string, where: string, field: string, problem: string): InvalidSecretError {
  return new InvalidSecretError(`invalid secret format: connection '${name}' (${where}) ${problem}`, {
    backend: BACKEND_ID,
    connection: name,
    field,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
