import { ConfigurationError, Redactor, UnavailableError, UnparsableSecretError } from "@bruin-ts/secrets-core";
import {
  makeTestCertificates,
  startEmulator,
  type Emulator,
  type TestCertificates,
} from "@bruin-ts/infisical-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createInfisicalBackend } from "./backend.js";
import { infisicalConfigWarnings, isLoopback, readInfisicalConfig } from "./config.js";
import {
  BATCH_NAMES,
  CLIENT_SECRET,
  PROJECT,
  baseEnv,
  leaks,
  makeBackend,
  rejection,
  seed,
  withEmulator,
} from "./test-support/fixtures.js";

const MiB = 1024 * 1024;
const BIG_MARKER = "BIG-VALUE-MARKER-z4p";

let emulator: Emulator;
beforeAll(async () => {
  const seeded = seed();
  seeded.projects[PROJECT]!.environments.dev!["/"]!["big-one"] = JSON.stringify({
    type: "postgres",
    details: { host: "h", username: "u", database: "d", password: BIG_MARKER + "x".repeat(2 * MiB) },
  });
  emulator = await startEmulator({ seed: seeded });
});
afterAll(() => emulator.stop());
afterEach(() => {
  emulator.clearFaults();
  emulator.setLatency(0);
  emulator.resetCounters();
});

describe("size caps", () => {
  it("refuses a secret value over 1 MiB before parsing it, naming the connection, never the value", async () => {
    const { backend, redactor } = makeBackend(emulator);
    const error = await rejection(() => backend.get("big-one"));
    expect(error).toBeInstanceOf(UnparsableSecretError);
    expect(error.exitCode).toBe(3);
    expect(error.describe()).toMatch(/^secret of connection 'big-one' is too large: more than 1 MiB/);
    expect(error.describe()).toContain(`project '${PROJECT}'`);
    expect(error.describe()).not.toContain(BIG_MARKER);
    // Refused before parsing: none of its fields was registered either.
    expect(redactor.size).toBeLessThan(20);
    await backend.close();
  });

  it("refuses a huge answer by the value cap, naming the connection, without retrying", async () => {
    // @infisical/sdk reads an answer whole (it has no size option): the 1 MiB value cap still applies to what it read.
    emulator.inject({ match: "getSecret", hugeValueBytes: 20 * MiB, count: Infinity });
    const { backend } = makeBackend(emulator, {}, { deadlineMs: 20_000, requestTimeoutMs: 10_000 });
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error.message).toMatch(/^secret of connection 'my-postgres' is too large: more than 1 MiB/);
    expect(emulator.counters.getSecret).toBe(1);
    await backend.close();
  });

  it("reads each name on its own when the folder listing is too large", async () => {
    emulator.inject({ match: "listSecrets", hugeValueBytes: 20 * MiB, count: 1 });
    const { backend } = makeBackend(emulator, { BRUIN_INFISICAL_SECRET_PATH: "/batch" });
    const names = BATCH_NAMES.slice(0, 5);
    const secrets = await Promise.all(names.map((name) => backend.get(name)));
    expect(secrets.map((secret) => secret?.name)).toEqual(names);
    expect(emulator.counters).toMatchObject({ listSecrets: 1, getSecret: 5 });
    await backend.close();
  });
});

describe("connection names", () => {
  it.each(["..", ".", "a/b", "a\\b", "x\ny"])("refuses %j before any request", async (name) => {
    const { backend } = makeBackend(emulator);
    const error = await rejection(() => backend.get(name));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/invalid connection name/);
    expect(emulator.counters.total).toBe(0);
  });
});

describe("TLS", () => {
  let certificates: TestCertificates;
  beforeAll(async () => {
    certificates = await makeTestCertificates();
  }, 30_000);
  afterAll(() => certificates.remove());

  it("reports an untrusted certificate as a TLS error with the fix, at once, without retrying", async () => {
    const tls = await withEmulator({ tls: certificates.selfSigned });
    try {
      expect(tls.url).toMatch(/^https:/);
      const { backend } = makeBackend(tls, {}, { deadlineMs: 10_000, retryBaseMs: 250 });
      const started = Date.now();
      const error = await rejection(() => backend.get("my-postgres"));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.exitCode).toBe(3);
      expect(error.message).toContain(`failed to authenticate with Infisical: TLS error connecting to ${tls.url}`);
      expect(error.message).toContain("self-signed or issued by a certificate authority this machine does not trust");
      expect(error.message).toContain("NODE_EXTRA_CA_CERTS");
      expect(error.message).not.toMatch(/CLIENT_ID|CLIENT_SECRET/);
      // One for the connection check sent beside the login, one for the login itself; neither is retried.
      expect(tls.counters.connections).toBeLessThanOrEqual(2);
      expect(tls.counters.total).toBe(0);
      expect(leaks(error.describe())).toEqual([]);
      await backend.close();
    } finally {
      await tls.stop();
    }
  });
});

describe("credentials and host", () => {
  it("trims surrounding whitespace of every variable and warns, without the value, when the client secret changed", () => {
    const env = {
      BRUIN_INFISICAL_CLIENT_ID: " ci-reader\n",
      BRUIN_INFISICAL_CLIENT_SECRET: `\t${CLIENT_SECRET}\r\n`,
      BRUIN_INFISICAL_PROJECT_ID: `${PROJECT} `,
      BRUIN_INFISICAL_ENVIRONMENT: "dev\n",
      BRUIN_INFISICAL_HOST: " https://infisical.example.com/ \n",
    };
    const config = readInfisicalConfig(env);
    expect(config).toMatchObject({
      clientId: "ci-reader",
      clientSecret: CLIENT_SECRET,
      projectId: PROJECT,
      environment: "dev",
      host: "https://infisical.example.com",
    });
    const warnings = infisicalConfigWarnings(env, config);
    expect(warnings).toEqual([
      expect.stringMatching(/^BRUIN_INFISICAL_CLIENT_SECRET had leading or trailing whitespace/),
    ]);
    expect(warnings.join("\n")).not.toContain(CLIENT_SECRET);
    expect(infisicalConfigWarnings({ ...env, BRUIN_INFISICAL_CLIENT_SECRET: CLIENT_SECRET }, config)).toEqual([]);
  });

  it("logs in with a client secret pasted with a line break, and says it was trimmed", async () => {
    const warnings: string[] = [];
    const backend = createInfisicalBackend(
      {
        env: baseEnv(emulator, {
          BRUIN_INFISICAL_CLIENT_SECRET: ` ${CLIENT_SECRET}\n`,
          BRUIN_INFISICAL_CLIENT_ID: "ci-reader\n",
        }),
        redactor: new Redactor(),
        cwd: "/",
        warn: (m) => void warnings.push(m),
      },
      { deadlineMs: 3_000 },
    );
    expect(await backend.get("my-postgres")).toMatchObject({ type: "postgres" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("BRUIN_INFISICAL_CLIENT_SECRET");
    expect(warnings[0]).not.toContain(CLIENT_SECRET);
    await backend.close();
  });

  it("warns about a plain-http host that is not this machine", () => {
    const base = {
      BRUIN_INFISICAL_CLIENT_ID: "c",
      BRUIN_INFISICAL_CLIENT_SECRET: "s",
      BRUIN_INFISICAL_PROJECT_ID: "p",
      BRUIN_INFISICAL_ENVIRONMENT: "e",
    };
    const warningsFor = (host: string) => {
      const env = { ...base, BRUIN_INFISICAL_HOST: host };
      return infisicalConfigWarnings(env, readInfisicalConfig(env));
    };
    expect(warningsFor("http://infisical.internal:8080")).toEqual([
      "BRUIN_INFISICAL_HOST is plain http:// to infisical.internal:8080: the client secret, the access token and every secret travel unencrypted; use https://",
    ]);
    expect(warningsFor("http://10.0.0.5")).toHaveLength(1);
    for (const host of [
      "http://localhost:8080",
      "http://127.0.0.1:1",
      "http://127.8.9.10",
      "http://[::1]:80",
      "https://infisical.internal",
    ]) {
      expect(warningsFor(host)).toEqual([]);
    }
    expect(isLoopback("app.localhost")).toBe(true);
    expect(isLoopback("128.0.0.1")).toBe(false);
  });
});

describe("closing", () => {
  it("abandons a login in flight: the caller is answered at once and nothing is retried", async () => {
    emulator.setLatency(3_000);
    const { backend } = makeBackend(emulator, {}, { deadlineMs: 20_000, requestTimeoutMs: 10_000 });
    const pending = backend.get("my-postgres");
    await expect.poll(() => emulator.counters.login, { timeout: 2_000 }).toBe(1);
    const started = Date.now();
    await backend.close();
    await expect(pending).rejects.toThrow(/the backend was closed/);
    expect(Date.now() - started).toBeLessThan(500);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(emulator.counters.login).toBe(1);
  });
});
