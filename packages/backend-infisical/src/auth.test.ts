import { createServer } from "node:net";
import { AuthenticationError } from "@bruin-ts/secrets-core";
import { startEmulator, type Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SECRET, leaks, makeBackend, rejection, seed, withEmulator } from "./test-support/fixtures.js";

describe("login failures", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await withEmulator();
  });
  afterAll(() => emulator.stop());

  it.each([
    ["a wrong client secret", { BRUIN_INFISICAL_CLIENT_SECRET: "cs-WRONGSECRET-0" }, "invalid client ID or client secret"],
    ["an unknown client id", { BRUIN_INFISICAL_CLIENT_ID: "ci-nobody" }, "invalid client ID or client secret"],
    ["an expired client secret", { BRUIN_INFISICAL_CLIENT_ID: "ci-expired", BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-ci-expired` }, "the client secret has expired"],
  ])("explains %s", async (_case, env, reason) => {
    const { backend, redactor } = makeBackend(emulator, env);
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(new RegExp(`^failed to authenticate with Infisical: ${reason}`));
    expect(error.message).toContain("BRUIN_INFISICAL_CLIENT_SECRET");
    expect(leaks(error.describe(), ["cs-WRONGSECRET-0"])).toEqual([]);
    expect(redactor.redact(error.describe())).toBe(error.describe());
  });

  it("explains a used-up client secret", async () => {
    const env = { BRUIN_INFISICAL_CLIENT_ID: "ci-limited", BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-ci-limited` };
    await makeBackend(emulator, env).backend.get("my-postgres");
    const error = await rejection(() => makeBackend(emulator, env).backend.get("my-postgres"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^failed to authenticate with Infisical: the client secret has reached its usage limit/);
  });

  it("says when the host cannot be reached", async () => {
    const port = await closedPort();
    const { backend } = makeBackend(emulator, { BRUIN_INFISICAL_HOST: `http://127.0.0.1:${port}` }, { deadlineMs: 300 });
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(new RegExp(`^failed to authenticate with Infisical: could not reach http://127\\.0\\.0\\.1:${port}`));
    expect(leaks(error.describe())).toEqual([]);
  });

  it("gives up when the token is refused even after a fresh login", async () => {
    const refuseReads = (input: string | URL | Request, init?: RequestInit) =>
      String(input).includes("/secrets/")
        ? Promise.resolve(new Response(JSON.stringify({ statusCode: 401, message: "Token missing", error: "UnauthorizedError" }), { status: 401 }))
        : fetch(input, init);
    emulator.resetCounters();
    const { backend } = makeBackend(emulator, {}, { fetch: refuseReads });
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^failed to authenticate with Infisical: the access token was refused/);
    expect(emulator.counters.login).toBe(2);
  });
});

describe("token lifetime", () => {
  let emulator: Emulator | undefined;
  afterEach(() => emulator?.stop());
  const short = { BRUIN_INFISICAL_CLIENT_ID: "ci-short", BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-ci-short` };
  const capped = { BRUIN_INFISICAL_CLIENT_ID: "ci-capped", BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-ci-capped` };

  it("logs in again when the token expired behind its back", async () => {
    emulator = await withEmulator();
    const { backend } = makeBackend(emulator, short);
    await backend.get("my-postgres");
    emulator.advanceTime(700); // past the 600 s TTL on the server's clock only
    expect(await backend.get("my-postgres")).toMatchObject({ type: "postgres" });
    expect(emulator.counters).toMatchObject({ login: 2, getSecret: 3 });
  });

  it("shares one new login among concurrent reads whose token was revoked", async () => {
    emulator = await withEmulator();
    const { backend } = makeBackend(emulator, short);
    await backend.get("my-postgres");
    emulator.expireAllTokens();
    const names = ["my-postgres", "no-type", "no-details", "details-string"];
    const results = await Promise.allSettled(names.map((name) => backend.get(name)));
    expect(results[0]).toMatchObject({ status: "fulfilled" });
    for (const result of results.slice(1)) {
      // The other secrets are malformed on purpose: they fail on their format, not on authentication.
      expect(result).toMatchObject({ status: "rejected", reason: { kind: "invalid" } });
    }
    // Each read was refused once with the revoked token and retried once with the shared new one.
    expect(emulator.counters).toMatchObject({ login: 2, getSecret: 1 + 2 * names.length });
  });

  it("renews a token close to expiry and logs in again when renewal cannot extend it", async () => {
    let clock = Date.now();
    const now = () => clock;
    emulator = await startEmulator({ seed: seed(), now });
    const { backend } = makeBackend(emulator, short, { now });
    await backend.get("my-postgres");
    // TTL 600 s, max TTL 6000 s: every 580 s the token is 20 s from expiry.
    for (let step = 1; step <= 10; step += 1) {
      clock += 580_000;
      expect(await backend.get("my-postgres")).toMatchObject({ name: "my-postgres" });
    }
    // Renewed nine times (to 5820 s); at 5800 s a renewal would pass the max TTL, so a login.
    expect(emulator.counters).toMatchObject({ login: 2, renew: 9, getSecret: 11, failed: 0 });
    expect(backend.tokenStats).toEqual({ logins: 2, renewals: 9 });
  });

  it("logs in again when the max TTL is near instead of renewing", async () => {
    let clock = Date.now();
    const now = () => clock;
    emulator = await startEmulator({ seed: seed(), now });
    const { backend } = makeBackend(emulator, capped, { now });
    await backend.get("my-postgres");
    clock += 580_000; // TTL 600 s, max TTL 900 s: renewing to 1180 s would pass it
    await backend.get("my-postgres");
    expect(emulator.counters).toMatchObject({ login: 2, renew: 0, failed: 0 });
  });

  it("logs in again when a renewal is refused", async () => {
    let clock = Date.now();
    const now = () => clock;
    emulator = await startEmulator({ seed: seed(), now });
    const { backend } = makeBackend(emulator, short, { now });
    await backend.get("my-postgres");
    clock += 580_000;
    emulator.expireAllTokens(); // the renewal answers 403 TokenError
    expect(await backend.get("my-postgres")).toMatchObject({ type: "postgres" });
    expect(emulator.counters).toMatchObject({ login: 2, renew: 1, getSecret: 2 });
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
