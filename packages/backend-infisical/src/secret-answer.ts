/**
 * Turns the secret objects Infisical answers with (one from `getSecret`, or
 * several from a folder listing) into connection secrets, with the same
 * checks whichever request brought them.
 */
import {
  checkSecretSize,
  PermissionError,
  UnavailableError,
  UnparsableSecretError,
  type ConnectionSecret,
  type Redactor,
} from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayHost, type InfisicalConfig } from "./config.js";
import { READ_PREFIX, where } from "./errors.js";
import { parseConnectionSecret } from "./secret-format.js";

/** The fields of an Infisical secret object that matter here. */
export interface SecretAnswer {
  secretKey?: unknown;
  secretValue?: unknown;
  secretValueHidden?: unknown;
  type?: unknown;
}

/**
 * Checks one answer for `name`, registers its value with the redactor and
 * parses it. `answer` is whatever the SDK returned, so it is not trusted to
 * be an object.
 */
export function toConnectionSecret(
  name: string,
  answer: unknown,
  config: InfisicalConfig,
  redactor: Redactor,
): ConnectionSecret {
  if (typeof answer !== "object" || answer === null) {
    // A 200 without the expected JSON, e.g. a proxy's page in front of the API.
    throw unexpectedAnswer(name, config);
  }
  const secret = answer as SecretAnswer;
  if (secret.secretValueHidden === true) {
    throw new PermissionError(
      `${READ_PREFIX}: permission denied to read the value of secret '${name}' (${where(config)}). ` +
        "Grant the machine identity permission to read secret values, not only names",
      { backend: BACKEND_ID, connection: name },
    );
  }
  if (typeof secret.secretValue !== "string") {
    throw new UnparsableSecretError(
      `failed to parse secret as JSON: connection '${name}' (${where(config)}) has no value`,
      {
        backend: BACKEND_ID,
        connection: name,
      },
    );
  }
  // Refused before anything parses (or copies) it.
  checkSecretSize(secret.secretValue, { backend: BACKEND_ID, connection: name, location: where(config) });
  return parseConnectionSecret(name, secret.secretValue, where(config), redactor);
}

export function unexpectedAnswer(name: string, config: InfisicalConfig): UnavailableError {
  return new UnavailableError(
    `${READ_PREFIX}: unexpected answer from ${displayHost(config.host)} for secret '${name}' (${where(config)})`,
    {
      backend: BACKEND_ID,
      connection: name,
    },
  );
}

/**
 * Keeps, from a folder listing, the shared secrets whose names were asked
 * for; undefined when `secrets` is not a list. Nothing is read from the
 * other entries but their name: their values are neither parsed nor
 * registered, and no reference to them outlives this call.
 */
export function pickRequested(
  secrets: unknown,
  names: ReadonlySet<string>,
  sharedType: string,
): Map<string, SecretAnswer> | undefined {
  if (!Array.isArray(secrets)) return undefined;
  const picked = new Map<string, SecretAnswer>();
  for (const entry of secrets as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const secret = entry as SecretAnswer;
    if (typeof secret.secretKey !== "string" || !names.has(secret.secretKey) || picked.has(secret.secretKey)) continue;
    // getSecret asks for the shared secret; a personal override must not stand in for it.
    if (secret.type !== undefined && secret.type !== sharedType) continue;
    picked.set(secret.secretKey, secret);
  }
  return picked;
}
