/**
 * `@infisical/sdk`, loaded on first use only, so runs that
 * never touch Infisical never pay for it. It is used as published: its own
 * `fetch` calls (the platform's), its own request building and errors.
 *
 * On Node < 22 the AWS SDK that `@infisical/sdk` imports announces, while it
 * loads, that future versions will need a newer Node
 * (`NodeVersionSupportWarning`). This package does not hide it: a host that
 * wants it gone sets `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true`
 * in its environment before the first read (the bruin CLI does).
 */
import { createRequire } from "node:module";
import type { InfisicalSDK } from "@infisical/sdk";
import { tlsErrorCode } from "@bruin-ts/secrets-core";

export type InfisicalSdkModule = typeof import("@infisical/sdk");
export type InfisicalSdkClient = InfisicalSDK;

/**
 * Loads the SDK's published CommonJS build with `require`: the same code its
 * ESM entry wraps, in about two thirds of the time (measured 67–92 ms against
 * 103–105 ms for `import()` on Node 20), which counts in the first
 * resolution of every run.
 */
export async function loadInfisicalSdk(): Promise<InfisicalSdkModule> {
  return createRequire(import.meta.url)("@infisical/sdk") as InfisicalSdkModule;
}

/**
 * When an access token expires, in ms since the epoch, read from its own
 * `exp` claim (Infisical's access tokens are JWTs; the SDK's login keeps the
 * token only, not the lifetime the server named). Undefined when the token
 * is not a JWT or has no expiry: it is then used until the server refuses it.
 */
export function tokenExpiry(token: string): { expiresAt: number; issuedAt?: number | undefined } | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown; iat?: unknown };
    if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp)) return undefined;
    const issuedAt = typeof claims.iat === "number" && Number.isFinite(claims.iat) ? claims.iat * 1000 : undefined;
    return { expiresAt: claims.exp * 1000, issuedAt };
  } catch {
    return undefined;
  }
}

/**
 * Asks `host` once, with the platform's `fetch`, whether a connection can be
 * made: answers the TLS error code, or `unreachable`, or nothing when it
 * answered. The SDK reports any failed connection as a bare "fetch failed",
 * and only after its own retries; this check, sent beside the first login,
 * lets a certificate problem be reported at once and for what it is, and a
 * host that refuses connections be named as such.
 */
export async function connectionProblem(
  host: string,
  signal: AbortSignal,
): Promise<{ tls: string } | "unreachable" | undefined> {
  try {
    const response = await fetch(`${host}/api/status`, { signal, redirect: "manual" });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    if (signal.aborted) return undefined;
    const tls = tlsErrorCode(error);
    return tls ? { tls } : "unreachable";
  }
}
