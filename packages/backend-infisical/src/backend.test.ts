import {
  ConnectionResolver,
  InvalidSecretError,
  NotFoundError,
  PermissionError,
  UnparsableSecretError,
} from "@bruin-ts/secrets-core";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DB_PASSWORD, PROJECT, leaks, makeBackend, rejection, seed, withEmulator } from "./test-support/fixtures.js";
import { loadInfisicalSdk } from "./sdk.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
  await loadInfisicalSdk(); // so that timings below measure requests, not module loading
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.resetCounters();
  emulator.clearFaults();
  emulator.setLatency(0);
});

/** Every message must be free of values, credentials, tokens and request paths. */
function expectClean(error: Error, redactor: { redact(text: string): string }): void {
  const text = `${error.message} ${(error as { describe?: () => string }).describe?.() ?? ""}`;
  expect(leaks(text)).toEqual([]);
  // Nothing the backend registered (client secret, access token, secret values) appears either.
  expect(redactor.redact(text)).toBe(text);
}

describe("get", () => {
  it("reads and parses a connection secret", async () => {
    const { backend, redactor } = makeBackend(emulator);
    const secret = await backend.get("my-postgres");
    expect(secret).toEqual({
      name: "my-postgres",
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
    expect(redactor.redact(`password ${DB_PASSWORD}`)).toBe("password ****");
    expect(emulator.counters).toMatchObject({ login: 1, getSecret: 1, failed: 0 });
    await backend.close();
  });

  it("reads from the configured folder", async () => {
    const { backend, redactor } = makeBackend(emulator, { BRUIN_INFISICAL_SECRET_PATH: "team/data/" });
    expect(await backend.get("team-generic")).toEqual({
      name: "team-generic",
      type: "generic",
      details: { value: "gen-SECRETVALUE-44" },
    });
    expect(redactor.redact("gen-SECRETVALUE-44")).toBe("****");
    expect(await backend.list()).toEqual(["team-generic", "team-pg"]);
  });

  it("logs in once and reads a few secrets in one concurrent wave of single reads", async () => {
    const latency = 60;
    emulator.setLatency(latency);
    const { backend } = makeBackend(emulator);
    // Below BATCH_THRESHOLD distinct names: one getSecret each, no listing (see batch.test.ts).
    const names = ["my-postgres", "no-type", "unknown-type", "bad-port"];
    const started = Date.now();
    const results = await Promise.allSettled(names.map((name) => backend.get(name)));
    const elapsed = Date.now() - started;
    expect(results[0]).toMatchObject({ status: "fulfilled" });
    expect(emulator.counters).toMatchObject({ login: 1, renew: 0, getSecret: names.length, listSecrets: 0 });
    // Login plus one wave of parallel reads is about 2 round trips; one read after another would be 5.
    expect(elapsed).toBeLessThan(latency * 5);
  });

  it("fetches a name once per run through a ConnectionResolver", async () => {
    const { backend } = makeBackend(emulator);
    const resolver = new ConnectionResolver({ backend });
    const [first, second] = await Promise.all([resolver.resolve("my-postgres"), resolver.resolve("my-postgres")]);
    expect(first).toBe(second);
    await resolver.resolve("my-postgres");
    expect(emulator.counters).toMatchObject({ login: 1, getSecret: 1 });
  });
});

describe("not found", () => {
  const where = `project '${PROJECT}', environment`;

  it("names a missing secret and where it was looked for", async () => {
    const { backend, redactor } = makeBackend(emulator);
    const error = await rejection(() => backend.get("nope"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^failed to read secret from Infisical: secret 'nope' not found/);
    expect(error.message).toContain(`connection 'nope'; ${where} 'dev', path '/'`);
    expect(error.message).toContain("BRUIN_INFISICAL_SECRET_PATH");
    expectClean(error, redactor);
  });

  it("names a missing folder", async () => {
    const { backend, redactor } = makeBackend(emulator, { BRUIN_INFISICAL_SECRET_PATH: "/nowhere/" });
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(
      /^failed to read secret from Infisical: folder '\/nowhere' not found in environment 'dev'/,
    );
    expectClean(error, redactor);
  });

  it("names a missing environment", async () => {
    const { backend } = makeBackend(emulator, { BRUIN_INFISICAL_ENVIRONMENT: "qa" });
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(
      /^failed to read secret from Infisical: environment 'qa' not found in project 'proj-analytics'/,
    );
  });

  it("names a missing project", async () => {
    const { backend } = makeBackend(emulator, { BRUIN_INFISICAL_PROJECT_ID: "proj-gone" });
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(/^failed to read secret from Infisical: project 'proj-gone' not found/);
  });
});

it("reports a denied read as a permission error", async () => {
  const { backend, redactor } = makeBackend(emulator, { BRUIN_INFISICAL_ENVIRONMENT: "prod" });
  const error = await rejection(() => backend.get("my-postgres"));
  expect(error).toBeInstanceOf(PermissionError);
  expect(error.exitCode).toBe(3);
  expect(error.message).toMatch(/^failed to read secret from Infisical: permission denied for secret 'my-postgres'/);
  expect(error.message).toContain("environment 'prod'");
  expectClean(error, redactor);
  expect(emulator.counters.login).toBe(1); // a 403 PermissionDenied is not a token problem: no second login
});

describe("secret format", () => {
  it("rejects invalid JSON without quoting it", async () => {
    const { backend, redactor } = makeBackend(emulator);
    const error = await rejection(() => backend.get("bad-json"));
    expect(error).toBeInstanceOf(UnparsableSecretError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(
      /^failed to parse secret as JSON: connection 'bad-json' \(project 'proj-analytics', environment 'dev', path '\/'\)/,
    );
    expectClean(error, redactor);
    // The raw value was registered before parsing.
    expect(redactor.redact(seedValue("bad-json"))).toBe("****");
  });

  it.each([
    ["no-type", "type", /has no 'type' field/],
    ["type-not-string", "type", /'type' that is not a non-empty string/],
    ["array-secret", "type", /must be a JSON object/],
    ["no-details", "details", /has no 'details' field/],
    ["details-string", "details", /'details' that is not an object/],
  ])("rejects %s naming the field %s", async (name, field, problem) => {
    const { backend, redactor } = makeBackend(emulator);
    const error = await rejection(() => backend.get(name));
    expect(error).toBeInstanceOf(InvalidSecretError);
    expect((error as InvalidSecretError).field).toBe(field);
    expect(error.message).toContain(`connection '${name}'`);
    expect(error.message).toMatch(problem);
    expect(error.exitCode).toBe(3);
    expectClean(error, redactor);
  });
});

function seedValue(name: string): string {
  const value = seed().projects[PROJECT]?.environments.dev?.["/"]?.[name];
  if (value === undefined) throw new Error(`no seed value ${name}`);
  return value;
}

describe("lifecycle", () => {
  it("loads the SDK on the first read only, once", async () => {
    let loads = 0;
    const loadSdk = async () => {
      loads += 1;
      return loadInfisicalSdk();
    };
    const { backend } = makeBackend(emulator, {}, { loadSdk });
    backend.describe();
    expect(loads).toBe(0);
    await Promise.all([backend.get("my-postgres"), backend.get("my-postgres")]);
    await backend.list();
    expect(loads).toBe(1);
  });

  it("refuses reads after close", async () => {
    const { backend } = makeBackend(emulator);
    await backend.get("my-postgres");
    await backend.close();
    await expect(backend.get("my-postgres")).rejects.toThrow("closed");
  });
});
