import { startDopplerEmulator, type DopplerEmulator } from "@bruin-ts/secrets-emulators";
import {
  AuthenticationError,
  ConfigurationError,
  ConnectionResolver,
  InvalidSecretError,
  NotFoundError,
  PermissionError,
  Redactor,
  UnavailableError,
  UnparsableSecretError,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { afterEach, describe, expect, it } from "vitest";
import { createDopplerBackend, dopplerNames } from "./backend.js";
import { readDopplerConfig } from "./config.js";

const TOKEN = "dp.st.prd.DOPPLER-TEST-TOKEN-77e";
const PASSWORD = "doppler-pg-Pa55-MARKER-8d2";
const PG = JSON.stringify({
  type: "postgres",
  details: { host: "db", port: 5432, username: "u", password: PASSWORD, database: "d" },
});

let emulator: DopplerEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start(
  secrets: Record<string, string> = { MY_PG: PG, pg: PG, BROKEN: "{not json", NO_TYPE: '{"details":{}}' },
) {
  emulator = await startDopplerEmulator({
    seed: {
      tokens: { [TOKEN]: { project: "app", config: "prd" }, "dp.st.dev": { project: "app", config: "dev" } },
      projects: { app: { prd: secrets } },
    },
  });
  return emulator;
}

const env = (e: DopplerEmulator, extra: Record<string, string | undefined> = {}) => ({
  BRUIN_DOPPLER_TOKEN: TOKEN,
  BRUIN_DOPPLER_PROJECT: "app",
  BRUIN_DOPPLER_CONFIG: "prd",
  BRUIN_DOPPLER_API_URL: e.url,
  ...extra,
});
const fast = { retryWaitMinMs: 10, retryWaitMaxMs: 50 };

async function failure(promise: Promise<unknown>): Promise<SecretsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error("expected a rejection");
  return error as SecretsError;
}

describe("doppler backend", () => {
  it("answers every read and the listing from one download", async () => {
    const e = await start();
    const redactor = new Redactor();
    const backend = createDopplerBackend({ env: env(e), redactor, cwd: "/" }, fast);
    const resolver = new ConnectionResolver({ backend });
    const { connections } = await resolver.resolveAll(["my-pg", "pg", "MY_PG"]);
    expect([...connections.keys()].sort()).toEqual(["MY_PG", "my-pg", "pg"]);
    expect(await backend.list()).toEqual(["BROKEN", "MY_PG", "NO_TYPE", "pg"]);
    expect(e.count("download")).toBe(1);
    expect(redactor.redact(`${TOKEN} ${PASSWORD}`)).toBe("**** ****");
    expect(backend.describe()).toBe(`Doppler at ${e.url} (project 'app', config 'prd')`);
  });

  it("looks a name up as is, then upper-cased with '-' as '_'", () => {
    expect(dopplerNames("my-pg")).toEqual(["my-pg", "MY_PG"]);
    expect(dopplerNames("MY_PG")).toEqual(["MY_PG"]);
  });

  it("a missing secret is not found, naming the connection and both names tried", async () => {
    const e = await start();
    const error = await failure(
      createDopplerBackend({ env: env(e), redactor: new Redactor(), cwd: "/" }, fast).get("wh-x"),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.exitCode).toBe(3);
    expect(error.describe()).toContain(
      "secret 'wh-x' not found in Doppler (also looked up as 'WH_X') (project 'app', config 'prd')",
    );
  });

  it("reports invalid JSON and a missing type without the value", async () => {
    const e = await start();
    const backend = createDopplerBackend({ env: env(e), redactor: new Redactor(), cwd: "/" }, fast);
    const broken = await failure(backend.get("broken"));
    expect(broken).toBeInstanceOf(UnparsableSecretError);
    expect(broken.describe()).toContain("'broken'");
    expect(broken.describe()).not.toContain("{not json");
    expect(await failure(backend.get("no-type"))).toBeInstanceOf(InvalidSecretError);
    expect(await failure(backend.get(".."))).toBeInstanceOf(ConfigurationError);
  });

  it("a refused token is an authentication error; a token of another config is permission denied", async () => {
    const e = await start();
    const bad = await failure(
      createDopplerBackend(
        { env: env(e, { BRUIN_DOPPLER_TOKEN: "dp.st.wrong" }), redactor: new Redactor(), cwd: "/" },
        fast,
      ).get("pg"),
    );
    expect(bad).toBeInstanceOf(AuthenticationError);
    expect(bad.describe()).toContain("failed to read secret 'pg' from Doppler: doppler API returned status 401");
    expect(bad.describe()).toContain("BRUIN_DOPPLER_TOKEN");
    const denied = await failure(
      createDopplerBackend(
        { env: env(e, { BRUIN_DOPPLER_TOKEN: "dp.st.dev" }), redactor: new Redactor(), cwd: "/" },
        fast,
      ).get("pg"),
    );
    expect(denied).toBeInstanceOf(PermissionError);
  });

  it("retries 429s, 5xx and resets inside one download", async () => {
    const e = await start();
    e.inject({ status: 429, retryAfter: null, count: 1 });
    e.inject({ status: 503, count: 1 });
    e.inject({ reset: true, count: 1 });
    const backend = createDopplerBackend({ env: env(e), redactor: new Redactor(), cwd: "/" }, fast);
    expect((await backend.get("pg")).type).toBe("postgres");
    expect(e.requests.map((request) => request.status)).toEqual([429, 503, 0, 200]);
  });

  it("a 429 storm past the retries fails every connection with the reason, after one set of attempts", async () => {
    const e = await start();
    e.inject({ status: 429, retryAfter: null, count: Infinity });
    const backend = createDopplerBackend(
      { env: env(e), redactor: new Redactor(), cwd: "/" },
      { ...fast, maxRetries: 2 },
    );
    const { failures } = await new ConnectionResolver({ backend }).resolveAll(["pg", "my-pg"]);
    expect(failures.map((f) => f.connection).sort()).toEqual(["my-pg", "pg"]);
    for (const f of failures) {
      expect(f).toBeInstanceOf(UnavailableError);
      expect(f.describe()).toContain("kept rate-limiting the requests (HTTP 429, 3 attempts)");
    }
    expect(e.count("download")).toBe(3);
  });
});

describe("readDopplerConfig", () => {
  it.each(["BRUIN_DOPPLER_TOKEN", "BRUIN_DOPPLER_PROJECT", "BRUIN_DOPPLER_CONFIG"])(
    "names %s when it is missing",
    (name) => {
      const values = { BRUIN_DOPPLER_TOKEN: "t", BRUIN_DOPPLER_PROJECT: "p", BRUIN_DOPPLER_CONFIG: "c", [name]: " " };
      expect(() => readDopplerConfig(values)).toThrow(
        `failed to initialize doppler client: ${name} env variable not set`,
      );
    },
  );

  it("defaults the API root to Doppler's cloud and refuses one that is not an http(s) URL", () => {
    const base = { BRUIN_DOPPLER_TOKEN: "t", BRUIN_DOPPLER_PROJECT: "p", BRUIN_DOPPLER_CONFIG: "c" };
    expect(readDopplerConfig(base).apiUrl).toBe("https://api.doppler.com");
    expect(readDopplerConfig({ ...base, BRUIN_DOPPLER_API_URL: "http://127.0.0.1:9/" }).apiUrl).toBe(
      "http://127.0.0.1:9",
    );
    expect(() => readDopplerConfig({ ...base, BRUIN_DOPPLER_API_URL: "dp.st.x" })).toThrow(
      /BRUIN_DOPPLER_API_URL must be an http\(s\) URL/,
    );
  });
});
