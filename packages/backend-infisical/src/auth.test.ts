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
    [
      "a wrong client secret",
      { BRUIN_INFISICAL_CLIENT_SECRET: "cs-WRONGSECRET-0" },
      "invalid client ID or client secret",
    ],
    ["an unknown client id", { BRUIN_INFISICAL_CLIENT_ID: "ci-nobody" }, "invalid client ID or client secret"],
    [
      "an expired client secret",
      { BRUIN_INFISICAL_CLIENT_ID: "ci-expired", BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-ci-expired` },
      "the client secret has expired",
    ],
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
    const env = {
      BRUIN_INFISICAL_CLIENT_ID: "ci-limited",
      BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-ci-limited`,
    };
    await makeBackend(emulator, env).backend.get("my-postgres");
    const error = await rejection(() => makeBackend(emulator, env).backend.get("my-postgres"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(
      /^failed to authenticate with Infisical: the client secret has reached its usage limit/,
    );
  });

  it("says when the host cannot be reached", async () => {
    const port = await closedPort();
    const { backend } = makeBackend(
      emulator,
      { BRUIN_INFISICAL_HOST: `http://127.0.0.1:${port}` },
      { deadlineMs: 1_500 },
    );
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(
      new RegExp(`^failed to authenticate with Infisical: could not reach http://127\\.0\\.0\\.1:${port}`),
    );
    expect(leaks(error.describe())).toEqual([]);
  });

  it("gives up when the token is refused even after a fresh login", async () => {
    emulator.resetCounters();
    emulator.inject({ match: "getSecret", status: 401, count: 2 });
    const { backend } = makeBackend(emulator);
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
  const capped = {
    BRUIN_INFISICAL_CLIENT_ID: "ci-capped",
    BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-ci-capped`,
  };

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

  it("reads the token's lifetime from its exp claim and logs in again when it is near", async () => {
    let clock = Date.now();
    const now = () => clock;
    emulator = await startEmulator({ seed: seed(), now });
    const { backend } = makeBackend(emulator, short, { now });
    await backend.get("my-postgres");
    // TTL 600 s: 70 s before expiry the token is still used, 50 s before it (under 10 % of its lifetime) it is not.
    clock += 530_000;
    await backend.get("my-postgres");
    expect(emulator.counters).toMatchObject({ login: 1, renew: 0, getSecret: 2, failed: 0 });
    clock += 20_000;
    await backend.get("my-postgres");
    expect(emulator.counters).toMatchObject({ login: 2, renew: 0, getSecret: 3, failed: 0 });
    expect(backend.tokenStats).toEqual({ logins: 2 });
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
