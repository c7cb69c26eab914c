import { InfisicalSDK } from "./load-sdk.js";

import type { EmulatorSeed } from "../types.js";

export const PROJECT = "proj-main";
export const OTHER_PROJECT = "proj-other";
/** Distinctive values: tests assert they never leak into error messages. */
export const CLIENT_SECRET = "cs-TOPSECRET-8f3a";
export const DB_PASSWORD = "pw-SECRETVALUE-91x";

export const seed = (): EmulatorSeed => ({
  identities: [
    {
      clientId: "ci-reader",
      clientSecret: CLIENT_SECRET,
      projects: [PROJECT],
      deny: [{ environment: "prod", secretPath: "/locked" }],
    },
    { clientId: "ci-short", clientSecret: "short-secret", projects: ["*"], accessTokenTTL: 60, accessTokenMaxTTL: 300 },
    { clientId: "ci-limited", clientSecret: "limited-secret", projects: [PROJECT], clientSecretUsageLimit: 2 },
    { clientId: "ci-expired", clientSecret: "expired-secret", projects: [PROJECT], clientSecretExpired: true },
    { clientId: "ci-noprod", clientSecret: "noprod-secret", projects: [PROJECT], deny: [{ environment: "prod" }] },
  ],
  projects: {
    [PROJECT]: {
      environments: {
        dev: {
          "/": { DB_PASSWORD, API_KEY: "dev-api-key" },
          "/team/a": { A_TOKEN: "a-token" },
        },
        prod: {
          "/": { DB_PASSWORD: "prod-password", URL: "postgres://u:${DB_PASSWORD}@h/db" },
          "/locked": { HIDDEN: "hidden-value" },
        },
      },
    },
    [OTHER_PROJECT]: { environments: { dev: { "/": { OTHER: "other-value" } } } },
  },
});

/** A logged-in SDK; `auth()` is taken afresh by callers, as the SDK requires after login. */
export async function loginSdk(
  url: string,
  clientId = "ci-reader",
  clientSecret = CLIENT_SECRET,
): Promise<InfisicalSDK> {
  const sdk = new InfisicalSDK({ siteUrl: url });
  await sdk.auth().universalAuth.login({ clientId, clientSecret });
  return sdk;
}

/** The HTTP status in an InfisicalSDKRequestError message. */
export function sdkStatus(error: unknown): number | undefined {
  const match = /\[StatusCode=(\d+)\]/.exec(error instanceof Error ? error.message : "");
  return match ? Number(match[1]) : undefined;
}

/** Runs `fn`, expecting it to throw, and returns the error. */
export async function failure(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}
