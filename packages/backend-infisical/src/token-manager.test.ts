import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AuthenticationError, Redactor, UnavailableError } from "@bruin-ts/secrets-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readInfisicalConfig } from "./config.js";
import type { InfisicalSdkClient } from "./sdk.js";
import { TokenManager } from "./token-manager.js";
import type { RetryPolicy } from "./transport.js";

const SECRET = "cs-TOKENMANAGER-SECRET-4k";

/** An unsigned JWT with the given claims (seconds), as Infisical's access tokens are. */
function jwt(claims: { exp?: number; iat?: number }, id = "a"): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ ...claims, jti: id })}.signature-${id}`;
}

/** A fake SDK client whose login answers the next of `tokens` (or throws it when it is an Error). */
function fakeClient(tokens: Array<unknown>, login: (index: number) => Promise<void> = async () => undefined) {
  let current: unknown;
  let logins = 0;
  const client = {
    auth: () => ({
      universalAuth: {
        login: async (credentials: { clientId: string; clientSecret: string }) => {
          expect(credentials).toEqual({ clientId: "ci-test", clientSecret: SECRET });
          const next = tokens[logins];
          await login(logins++);
          if (next instanceof Error) throw next;
          current = next;
        },
      },
      getAccessToken: () => current,
    }),
  } as unknown as InfisicalSdkClient;
  return { client: async () => client, logins: () => logins };
}

function manager(
  host: string,
  client: () => Promise<InfisicalSdkClient>,
  options: { now?: () => number; policy?: Partial<RetryPolicy>; signal?: AbortSignal } = {},
) {
  const redactor = new Redactor();
  const config = readInfisicalConfig({
    BRUIN_INFISICAL_CLIENT_ID: "ci-test",
    BRUIN_INFISICAL_CLIENT_SECRET: SECRET,
    BRUIN_INFISICAL_PROJECT_ID: "proj",
    BRUIN_INFISICAL_ENVIRONMENT: "dev",
    BRUIN_INFISICAL_HOST: host,
  });
  const tokens = new TokenManager({
    config,
    policy: {
      now: options.now ?? Date.now,
      sleep: async () => undefined,
      requestTimeoutMs: 1_000,
      retryBaseMs: 5,
      maxBackoffMs: 4_000,
      maxAttempts: 3,
      ...options.policy,
    },
    redactor,
    deadlineMs: 5_000,
    client,
    signal: options.signal ?? new AbortController().signal,
  });
  return { tokens, redactor };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** The status endpoint the first login's connection check asks; `hold` leaves those requests unanswered. */
let server: Server;
let host: string;
const held: IncomingMessage[] = [];
let hold = false;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (hold) {
      held.push(request);
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end('{"message":"Ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("TokenManager: reuse and replacement", () => {
  it("reuses a token that does not say when it expires, and masks it", async () => {
    const { client, logins } = fakeClient(["opaque-token-1", "opaque-token-2"]);
    const { tokens, redactor } = manager(host, client);
    expect(await tokens.current()).toBe("opaque-token-1");
    expect(await tokens.current()).toBe("opaque-token-1");
    expect(logins()).toBe(1);
    expect(tokens.stats).toEqual({ logins: 1 });
    expect(redactor.redact("Bearer opaque-token-1")).toBe("Bearer ****");
  });

  it("replace() of a token already replaced answers the current one without a login", async () => {
    const { client, logins } = fakeClient(["opaque-token-1", "opaque-token-2"]);
    const { tokens } = manager(host, client);
    const first = await tokens.current();
    expect(await tokens.replace(first)).toBe("opaque-token-2");
    expect(await tokens.replace(first)).toBe("opaque-token-2");
    expect(logins()).toBe(2);
  });

  it("clear() forgets the token: the next call logs in again", async () => {
    const { client, logins } = fakeClient(["opaque-token-1", "opaque-token-2"]);
    const { tokens } = manager(host, client);
    await tokens.current();
    tokens.clear();
    expect(await tokens.current()).toBe("opaque-token-2");
    expect(logins()).toBe(2);
  });

  it("refuses an answer without an access token, naming the login", async () => {
    for (const token of ["", undefined]) {
      const { client } = fakeClient([token]);
      const error = await rejection(manager(host, client).tokens.current());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toMatch(
        /^failed to authenticate with Infisical: the login request was rejected \(HTTP 200\) \(http:\/\/127\.0\.0\.1:\d+\)\. /,
      );
      expect((error as AuthenticationError).detail).toBe("HTTP 200");
    }
  });
});

describe("TokenManager: the refresh margin", () => {
  // In ms, a whole number of seconds: the claims are in seconds.
  const start = 1_800_000_000_000;

  /** Two logins: the first token's claims, then a second token; the clock is `clock.now`. */
  async function ageing(claims: { exp: number; iat?: number }) {
    const clock = { now: start };
    const { client, logins } = fakeClient([jwt(claims, "first"), jwt({ exp: claims.exp + 10_000 }, "second")]);
    const { tokens } = manager(host, client, { now: () => clock.now });
    const first = await tokens.current();
    return { clock, tokens, logins, first };
  }

  it("a long-lived token: logs in again 60 s before it expires, not at 10 % of its lifetime", async () => {
    // One hour: 10 % would be 6 minutes; the margin is capped at 60 s.
    const { clock, tokens, logins, first } = await ageing({ exp: start / 1000 + 3_600, iat: start / 1000 });
    clock.now = start + 3_600_000 - 60_001;
    expect(await tokens.current()).toBe(first);
    expect(logins()).toBe(1);
    clock.now = start + 3_600_000 - 60_000;
    expect(await tokens.current()).not.toBe(first);
    expect(logins()).toBe(2);
  });

  it("a short-lived token: logs in again when 10 % of the lifetime its iat and exp name is left", async () => {
    // Issued 10 s before the login; 100 s of lifetime: the margin is 10 s.
    const { clock, tokens, logins, first } = await ageing({ exp: start / 1000 + 90, iat: start / 1000 - 10 });
    clock.now = start + 80_000 - 1;
    expect(await tokens.current()).toBe(first);
    expect(logins()).toBe(1);
    clock.now = start + 80_000;
    expect(await tokens.current()).not.toBe(first);
    expect(logins()).toBe(2);
  });

  it("without iat, the lifetime counts from the login", async () => {
    const { clock, tokens, logins, first } = await ageing({ exp: start / 1000 + 200 });
    clock.now = start + 180_000 - 1;
    expect(await tokens.current()).toBe(first);
    clock.now = start + 180_000;
    expect(await tokens.current()).not.toBe(first);
    expect(logins()).toBe(2);
  });
});

describe("TokenManager: the connection check beside the first login", () => {
  it("names a login timeout as such when the host answered the check", async () => {
    const { client } = fakeClient(["never"], () => new Promise<void>(() => undefined));
    const { tokens } = manager(host, client, { policy: { requestTimeoutMs: 30, maxAttempts: 2 } });
    const error = await rejection(tokens.current());
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(
      /^failed to authenticate with Infisical: http:\/\/127\.0\.0\.1:\d+ did not answer in time \(2 attempts\)\. /,
    );
  });

  it("names a timeout of a later login, made without a check, as such", async () => {
    const { client, logins } = fakeClient(["opaque-token-1", "never"], (index) =>
      index === 0 ? Promise.resolve() : new Promise<void>(() => undefined),
    );
    const { tokens } = manager(host, client, { policy: { requestTimeoutMs: 30, maxAttempts: 2 } });
    expect(await tokens.current()).toBe("opaque-token-1");
    tokens.clear();
    const error = await rejection(tokens.current());
    expect(logins()).toBe(3);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/ did not answer in time \(2 attempts\)\. /);
  });

  it("names a login timeout as 'could not reach' when the host refused the check", async () => {
    const { client } = fakeClient(["never"], () => new Promise<void>(() => undefined));
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const { tokens } = manager(closed, client, { policy: { requestTimeoutMs: 100, maxAttempts: 2 } });
    const error = await rejection(tokens.current());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(
      `failed to authenticate with Infisical: could not reach ${closed}. Check BRUIN_INFISICAL_CLIENT_ID and BRUIN_INFISICAL_CLIENT_SECRET, that the machine identity uses Universal Auth and has access to the project, and BRUIN_INFISICAL_HOST for self-hosted instances`,
    );
  });

  it("keeps a server error a server error even when the host refused the check", async () => {
    const unavailable = () =>
      Object.assign(new Error("[URL=http://x/api/v1/auth] [Method=POST] [StatusCode=503] Service Unavailable"), {
        name: "InfisicalSDKRequestError",
      });
    const closed = `http://127.0.0.1:${await closedPort()}`;
    // Slow enough that the check has answered before the last attempt fails.
    const { client, logins } = fakeClient([unavailable(), unavailable()], () => new Promise((r) => setTimeout(r, 50)));
    const { tokens } = manager(closed, client, { policy: { maxAttempts: 2 } });
    const error = await rejection(tokens.current());
    expect(logins()).toBe(2);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/ is unavailable \(HTTP 503, 2 attempts\)\. /);
  });

  it("does not leave the check in flight once the login is done", async () => {
    hold = true;
    try {
      const { client } = fakeClient(["opaque-token-1"], () => new Promise((r) => setTimeout(r, 100)));
      const { tokens } = manager(host, client);
      expect(await tokens.current()).toBe("opaque-token-1");
      expect(held).toHaveLength(1);
      const socket = held[0]!.socket;
      const closed = await Promise.race([
        new Promise((resolve) =>
          socket.destroyed ? resolve("closed") : socket.once("close", () => resolve("closed")),
        ),
        new Promise((resolve) => setTimeout(() => resolve("still open"), 1_000)),
      ]);
      expect(closed).toBe("closed");
    } finally {
      hold = false;
      server.closeAllConnections();
    }
  });
});
