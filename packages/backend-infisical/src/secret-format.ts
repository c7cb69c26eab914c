/**
 * The stored format: a secret named after the connection whose value is the
 * JSON document `{"type": "<connection type>", "details": {...}}`. Only the
 * shape is checked here; the type and its fields are validated by the
 * caller's connection schemas.
 */
import { parseConnectionEnvelope, type ConnectionSecret, type Redactor } from "@bruin-ts/secrets-core";
import { BACKEND_ID } from "./config.js";

/** Detail fields masked as soon as a secret is read, before any schema knows its type. */
const SENSITIVE_FIELD = /password|passwd|token|secret|private_key|privatekey|service_account_json|credentials|^value$|api_key|apikey/i;

/**
 * Registers the secret's sensitive parts with the redactor, then parses it
 * with secrets-core's shared `{"type", "details"}` parser. `where` names the
 * place it was read from (project, environment, path).
 */
export function parseConnectionSecret(
  name: string,
  value: string,
  where: string,
  redactor: Redactor,
): ConnectionSecret {
  // The whole value first: from here on nothing that quotes it can be printed.
  redactor.add(value);
  return parseConnectionEnvelope(name, value, {
    backend: BACKEND_ID,
    where,
    onParsed: (document) => registerSensitiveDetails(document, redactor),
  });
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
