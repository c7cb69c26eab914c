import { randomBytes } from "node:crypto";

import {
  TOKEN_EXPIRED,
  TOKEN_MALFORMED,
  tokenError,
  unauthorized,
  validationFailure,
  type ValidationIssue,
} from "./errors.js";
import { normalizeSecretPath } from "./secret-store.js";
import type { EmulatorSeed } from "./types.js";

export const DEFAULT_TOKEN_TTL_SECONDS = 2_592_000;

export type Identity = EmulatorSeed["identities"][number];

/** Body of a successful login or renewal. */
export interface TokenAnswer {
  accessToken: string;
  expiresIn: number;
  accessTokenMaxTTL: number;
  tokenType: "Bearer";
}

interface IssuedToken {
  identity: Identity;
  /** Login time; the max TTL counts from here. */
  createdAt: number;
  ttlSeconds: number;
  maxTtlSeconds: number;
  /** Login or last renewal time plus the TTL (Infinity when the TTL is 0). */
  expiresAt: number;
  forcedExpired: boolean;
}

/**
 * An access token shaped like Infisical's (a JWT): `iat` and, when the TTL
 * is not 0, `exp` on the emulator's clock, then a random part in place of a
 * signature. Clients may read the claims; only the emulator checks tokens.
 */
function jwtShapedToken(createdAt: number, ttlSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const iat = Math.floor(createdAt / 1000);
  const claims =
    ttlSeconds > 0
      ? { authTokenType: "identityAccessToken", iat, exp: iat + ttlSeconds }
      : { authTokenType: "identityAccessToken", iat };
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.${randomBytes(32).toString("base64url")}`;
}

/** Zod-style "Required"/"Expected string" issues for the string fields of a JSON body. */
function requireStrings(body: unknown, fields: string[]): Record<string, string> {
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const field of fields) {
    const value = record[field];
    if (typeof value !== "string") {
      const received = value === undefined ? "undefined" : value === null ? "null" : typeof value;
      issues.push({
        code: "invalid_type",
        expected: "string",
        received,
        path: [field],
        message: value === undefined ? "Required" : `Expected string, received ${received}`,
      });
    }
  }
  if (issues.length > 0) throw validationFailure(issues);
  return record as Record<string, string>;
}

/** Universal Auth logins, token renewal and bearer-token checks, on the emulator's clock. */
export class AuthService {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly secretUses = new Map<Identity, number>();

  constructor(
    private readonly identities: Identity[],
    private readonly now: () => number,
    private readonly defaults: { ttl?: number | undefined; maxTtl?: number | undefined } = {},
  ) {}

  login(body: unknown): TokenAnswer {
    const { clientId, clientSecret } = requireStrings(body, ["clientId", "clientSecret"]);
    const identity = this.identities.find((i) => i.clientId === clientId?.trim());
    if (!identity || identity.clientSecret !== clientSecret) throw unauthorized("Invalid credentials");
    if (identity.clientSecretExpired) throw unauthorized("Access denied due to expired client secret");
    const used = this.secretUses.get(identity) ?? 0;
    const limit = identity.clientSecretUsageLimit ?? 0;
    if (limit > 0 && used >= limit) throw unauthorized("Access denied due to client secret usage limit reached");
    this.secretUses.set(identity, used + 1);

    const ttlSeconds = identity.accessTokenTTL ?? this.defaults.ttl ?? DEFAULT_TOKEN_TTL_SECONDS;
    const maxTtlSeconds = identity.accessTokenMaxTTL ?? this.defaults.maxTtl ?? DEFAULT_TOKEN_TTL_SECONDS;
    const createdAt = this.now();
    const accessToken = jwtShapedToken(createdAt, ttlSeconds);
    this.tokens.set(accessToken, {
      identity,
      createdAt,
      ttlSeconds,
      maxTtlSeconds,
      expiresAt: ttlSeconds > 0 ? createdAt + ttlSeconds * 1000 : Infinity,
      forcedExpired: false,
    });
    return { accessToken, expiresIn: ttlSeconds, accessTokenMaxTTL: maxTtlSeconds, tokenType: "Bearer" };
  }

  /**
   * Infisical keeps the same token and moves its expiry to now + TTL. It
   * refuses (401) once the max TTL since login has passed, and also when the
   * new expiry would pass it — so with TTL equal to max TTL (the default) a
   * renewal only works in the very instant of the login.
   */
  renew(body: unknown): TokenAnswer {
    const { accessToken } = requireStrings(body, ["accessToken"]);
    const token = this.tokens.get(accessToken ?? "");
    if (!token) throw tokenError(TOKEN_MALFORMED);
    if (token.forcedExpired) throw tokenError(TOKEN_EXPIRED);
    const now = this.now();
    const maxExpiry = token.maxTtlSeconds > 0 ? token.createdAt + token.maxTtlSeconds * 1000 : Infinity;
    if (now > maxExpiry) throw unauthorized("Failed to renew MI access token due to Max TTL expiration");
    if (now > token.expiresAt) throw tokenError(TOKEN_EXPIRED);
    const extendTo = token.ttlSeconds > 0 ? now + token.ttlSeconds * 1000 : Infinity;
    if (extendTo > maxExpiry) throw unauthorized("Failed to renew MI access token past its Max TTL expiration");
    token.expiresAt = extendTo;
    return {
      accessToken: accessToken as string,
      expiresIn: token.ttlSeconds,
      accessTokenMaxTTL: token.maxTtlSeconds,
      tokenType: "Bearer",
    };
  }

  /** The identity behind an `Authorization: Bearer <token>` header, or the 401/403 Infisical sends. */
  authenticate(header: string | undefined): Identity {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    const token = match ? this.tokens.get(match[1] as string) : undefined;
    if (!token) throw unauthorized("Token missing");
    const now = this.now();
    const maxExpiry = token.maxTtlSeconds > 0 ? token.createdAt + token.maxTtlSeconds * 1000 : Infinity;
    if (token.forcedExpired || now > token.expiresAt || now > maxExpiry) throw tokenError(TOKEN_EXPIRED);
    return token.identity;
  }

  /** Every access token issued so far, for tests that assert a token is never printed. */
  issued(): string[] {
    return [...this.tokens.keys()];
  }

  expireAll(): void {
    for (const token of this.tokens.values()) token.forcedExpired = true;
  }
}

export function canAccessProject(identity: Identity, projectId: string): boolean {
  return identity.projects.includes("*") || identity.projects.includes(projectId);
}

/** A deny rule without a path covers the whole environment; with one, that folder and everything below it. */
export function isReadDenied(identity: Identity, environment: string, path: string): boolean {
  return (identity.deny ?? []).some((rule) => {
    if (rule.environment !== environment) return false;
    if (rule.secretPath === undefined) return true;
    const denied = normalizeSecretPath(rule.secretPath);
    return denied === "/" || path === denied || path.startsWith(`${denied}/`);
  });
}
