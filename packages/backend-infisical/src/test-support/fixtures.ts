import { Redactor, type SecretsError } from "@bruin-ts/secrets-core";
import { startEmulator, type Emulator, type EmulatorSeed } from "@bruin-ts/infisical-emulator";
import { createInfisicalBackend, type InfisicalBackend, type InfisicalBackendOptions } from "../backend.js";

export const PROJECT = "proj-analytics";
/** Distinctive values: tests assert they never appear in a message. */
export const CLIENT_SECRET = "cs-TOPSECRET-5b9e1";
export const DB_PASSWORD = "pw-SECRETVALUE-77q";
export const BROKEN_PASSWORD = "pw-UNPARSABLE-31k";

export const POSTGRES_SECRET = JSON.stringify({
  type: "postgres",
  details: {
    host: "db.internal",
    port: 5432,
    username: "app",
    password: DB_PASSWORD,
    database: "analytics",
    schema: "public",
  },
});

/** Folder `/batch`: BATCH_NAMES.length valid connections; the last two are never asked for by the batch tests. */
export const BATCH_NAMES = Array.from({ length: 8 }, (_, i) => `batch-${i + 1}`);
/** A distinctive password per batch connection. */
export const batchPassword = (name: string): string => `pw-${name.toUpperCase()}-SECRETVALUE-9x`;
export const batchSecret = (name: string): string =>
  JSON.stringify({
    type: "postgres",
    details: { host: `${name}.internal`, port: 5432, username: "app", password: batchPassword(name), database: "d" },
  });

export function seed(): EmulatorSeed {
  const identity = (clientId: string, extra: Partial<EmulatorSeed["identities"][number]> = {}) => ({
    clientId,
    clientSecret: `${CLIENT_SECRET}-${clientId}`,
    projects: [PROJECT],
    ...extra,
  });
  return {
    identities: [
      { clientId: "ci-reader", clientSecret: CLIENT_SECRET, projects: [PROJECT], deny: [{ environment: "prod" }] },
      identity("ci-short", { accessTokenTTL: 600, accessTokenMaxTTL: 6000 }),
      identity("ci-capped", { accessTokenTTL: 600, accessTokenMaxTTL: 900 }),
      identity("ci-limited", { clientSecretUsageLimit: 1 }),
      identity("ci-expired", { clientSecretExpired: true }),
    ],
    projects: {
      [PROJECT]: {
        environments: {
          dev: {
            "/": {
              "my-postgres": POSTGRES_SECRET,
              "bad-json": `{"type": "postgres", "details": {"password": "${BROKEN_PASSWORD}"`,
              "no-type": JSON.stringify({ details: { password: DB_PASSWORD } }),
              "type-not-string": JSON.stringify({ type: 42, details: {} }),
              "no-details": JSON.stringify({ type: "postgres" }),
              "details-string": JSON.stringify({ type: "postgres", details: DB_PASSWORD }),
              "array-secret": JSON.stringify([DB_PASSWORD]),
              "unknown-type": JSON.stringify({ type: "oracle", details: { password: DB_PASSWORD } }),
              "bad-port": JSON.stringify({
                type: "postgres",
                details: { host: "db", port: "not-a-port", username: "app", password: DB_PASSWORD, database: "d" },
              }),
            },
            "/batch": Object.fromEntries(BATCH_NAMES.map((name) => [name, batchSecret(name)])),
            "/team/data": {
              "team-pg": POSTGRES_SECRET,
              "team-generic": JSON.stringify({ type: "generic", details: { value: "gen-SECRETVALUE-44" } }),
            },
          },
          prod: { "/": { "my-postgres": POSTGRES_SECRET } },
        },
      },
    },
  };
}

export const baseEnv = (emulator: Emulator, overrides: Record<string, string | undefined> = {}) => ({
  BRUIN_INFISICAL_CLIENT_ID: "ci-reader",
  BRUIN_INFISICAL_CLIENT_SECRET: CLIENT_SECRET,
  BRUIN_INFISICAL_PROJECT_ID: PROJECT,
  BRUIN_INFISICAL_ENVIRONMENT: "dev",
  BRUIN_INFISICAL_HOST: emulator.url,
  ...overrides,
});

export function makeBackend(
  emulator: Emulator,
  overrides: Record<string, string | undefined> = {},
  options: InfisicalBackendOptions = {},
): { backend: InfisicalBackend; redactor: Redactor } {
  const redactor = new Redactor();
  const backend = createInfisicalBackend(
    { env: baseEnv(emulator, overrides), redactor, cwd: process.cwd() },
    { deadlineMs: 3_000, requestTimeoutMs: 1_000, retryBaseMs: 5, ...options },
  );
  return { backend, redactor };
}

export async function withEmulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ seed: seed(), ...options });
}

/** Runs `fn`, expecting a rejection, and returns it. */
export async function rejection(fn: () => Promise<unknown>): Promise<SecretsError> {
  try {
    await fn();
  } catch (error) {
    return error as SecretsError;
  }
  throw new Error("expected a rejection");
}

/** Asserts no credential, value, token or request path leaked into the text. */
export function leaks(text: string, extra: string[] = []): string[] {
  const forbidden = [CLIENT_SECRET, DB_PASSWORD, BROKEN_PASSWORD, "/api/", "gen-SECRETVALUE", ...extra];
  return forbidden.filter((value) => text.includes(value));
}
