/**
 * The stored format: a secret named after the connection whose value is the
 * JSON document `{"type": "<connection type>", "details": {...}}`. Only the
 * shape is checked here; the type and its fields are validated by the
 * caller's connection schemas.
 */
import {
  parseConnectionEnvelope,
  registerSensitiveDetails,
  type ConnectionSecret,
  type Redactor,
} from "@bruin-ts/secrets-core";
import { BACKEND_ID } from "./config.js";

/**
 * Registers the secret's sensitive parts with the redactor (secrets-core's
 * `registerSensitiveDetails`: fields named like a password, token or key), then parses it
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
