import { existsSync } from "node:fs";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterEach, describe, expect, it } from "vitest";
import {
  CLIENT_SECRET,
  PROJECT,
  duckdbSecret,
  emulatorWith,
  infisicalEnv,
  infisicalPipeline,
} from "./test-support/infisical.js";
import { readDuckDB, runBruin, type CliResult } from "./test-support/run-cli.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const PG_PASSWORD = "Pg-Pa55word-in-Infisical";

/** Nothing secret may be printed, whatever happened. */
function expectNoSecrets(result: CliResult) {
  expect(result.all).not.toContain(CLIENT_SECRET);
  expect(result.all).not.toContain(PG_PASSWORD);
  expect(result.all).not.toContain("/api/v");
  expect(result.all).not.toMatch(/Bearer|accessToken/i);
}

async function tableCount(file: string): Promise<number> {
  const [row] = await readDuckDB(file, "SELECT count(*) AS n FROM information_schema.tables");
  return Number(row!.n);
}

describe("bruin run --secrets-backend infisical", () => {
  it("runs with connections only in Infisical: 1 login and 1 read per distinct connection, unused secrets untouched", async () => {
    const pipeline = infisicalPipeline(["wh-a", "wh-b", "wh-c"], 4);
    emulator = await emulatorWith({
      "wh-a": duckdbSecret(pipeline.dbFile("wh-a")),
      "wh-b": duckdbSecret(pipeline.dbFile("wh-b")),
      "wh-c": duckdbSecret(pipeline.dbFile("wh-c")),
      unused: JSON.stringify({
        type: "postgres",
        details: { host: "h", username: "u", password: PG_PASSWORD, database: "d" },
      }),
    });
    const result = await runBruin(["run", pipeline.dir], { env: infisicalEnv(emulator) });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ Assets executed\s+12 succeeded/);
    expect(emulator.counters.login).toBe(1);
    expect(emulator.counters.getSecret).toBe(3);
    expect(emulator.counters.listSecrets).toBe(0);
    for (const connection of ["wh-a", "wh-b", "wh-c"]) expect(await tableCount(pipeline.dbFile(connection))).toBe(4);
    expectNoSecrets(result);
  });

  it("is selected by the flag as well as by BRUIN_SECRETS_BACKEND", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    emulator = await emulatorWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const env = { ...infisicalEnv(emulator), BRUIN_SECRETS_BACKEND: undefined };
    const result = await runBruin(["run", pipeline.dir, "--secrets-backend", "infisical"], { env });
    expect(result.code).toBe(0);
    expect(await tableCount(pipeline.dbFile("main"))).toBe(1);
  });

  const variables = [
    "BRUIN_INFISICAL_CLIENT_ID",
    "BRUIN_INFISICAL_CLIENT_SECRET",
    "BRUIN_INFISICAL_PROJECT_ID",
    "BRUIN_INFISICAL_ENVIRONMENT",
  ];
  it.each(variables.map((name, index) => [name, index]))(
    "names %s when it is the first missing variable",
    async (name, index) => {
      const pipeline = infisicalPipeline(["duckdb-default"]);
      emulator = await emulatorWith({});
      const env: Record<string, string | undefined> = infisicalEnv(emulator);
      for (const later of variables.slice(index as number)) env[later] = undefined;
      const result = await runBruin(["run", pipeline.dir], { env });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`failed to initialize infisical client: ${name} env variable not set`);
      expect(result.stdout).not.toContain("Running:");
      expect(emulator.counters.total).toBe(0);
      expectNoSecrets(result);
    },
  );

  it("rejects a host that is not an http(s) URL, naming the variable", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    emulator = await emulatorWith({});
    const result = await runBruin(["run", pipeline.dir], {
      env: infisicalEnv(emulator, { BRUIN_INFISICAL_HOST: "app.infisical.com" }),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("BRUIN_INFISICAL_HOST");
    expectNoSecrets(result);
  });

  it("reports bad credentials as an authentication failure, printing neither secret nor URL", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    emulator = await emulatorWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const result = await runBruin(["run", pipeline.dir], {
      env: infisicalEnv(emulator, { BRUIN_INFISICAL_CLIENT_SECRET: `${CLIENT_SECRET}-wrong` }),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to authenticate with Infisical");
    expect(result.stdout).not.toContain("Running:");
    expect(pipeline.noDatabaseCreated()).toBe(true);
    expectNoSecrets(result);
  });

  it("reports a missing secret with the connection, project, environment and path", async () => {
    const pipeline = infisicalPipeline(["wh-present", "wh-missing"]);
    emulator = await emulatorWith({ "wh-present": duckdbSecret(pipeline.dbFile("wh-present")) });
    const result = await runBruin(["run", pipeline.dir], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to read secret from Infisical");
    expect(result.stderr).toContain("wh-missing");
    expect(result.stderr).toContain(PROJECT);
    expect(result.stderr).toContain("dev");
    expect(result.stdout).not.toContain("Running:");
    expect(existsSync(pipeline.dbFile("wh-present"))).toBe(false);
    expectNoSecrets(result);
  });

  it("says when the folder or the environment is what is missing", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    emulator = await emulatorWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const folder = await runBruin(["run", pipeline.dir], {
      env: infisicalEnv(emulator, { BRUIN_INFISICAL_SECRET_PATH: "team/x/" }),
    });
    expect(folder.code).toBe(3);
    expect(folder.stderr).toContain("failed to read secret from Infisical");
    expect(folder.stderr).toMatch(/folder/i);
    expect(folder.stderr).toContain("/team/x");
    const environment = await runBruin(["run", pipeline.dir], {
      env: infisicalEnv(emulator, { BRUIN_INFISICAL_ENVIRONMENT: "qa" }),
    });
    expect(environment.code).toBe(3);
    expect(environment.stderr).toContain("failed to read secret from Infisical");
    expect(environment.stderr).toMatch(/environment 'qa'/i);
    expect(pipeline.noDatabaseCreated()).toBe(true);
  });

  it("reports a denied read as a permission problem", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    emulator = await emulatorWith({});
    const result = await runBruin(["run", pipeline.dir], {
      env: infisicalEnv(emulator, { BRUIN_INFISICAL_SECRET_PATH: "/locked" }),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to read secret from Infisical");
    expect(result.stderr).toMatch(/permission/i);
    expectNoSecrets(result);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ["not JSON", `{"type": "postgres", "details": {"password": "${PG_PASSWORD}"`, /failed to parse secret as JSON/],
    ["no type", JSON.stringify({ details: { password: PG_PASSWORD } }), /'type'|\btype\b/],
    ["no details", JSON.stringify({ type: "postgres" }), /details/],
    ["details not an object", JSON.stringify({ type: "postgres", details: PG_PASSWORD }), /details/],
    [
      "unknown type",
      JSON.stringify({ type: "postgress", details: { password: PG_PASSWORD } }),
      /unknown type 'postgress'/,
    ],
    [
      "an invalid field",
      JSON.stringify({
        type: "postgres",
        details: { host: "h", port: "abc", username: "u", password: PG_PASSWORD, database: "d" },
      }),
      /invalid field 'port'/,
    ],
  ];
  it.each(malformed)(
    "rejects a secret with %s, naming the connection, without its value",
    async (_case, value, message) => {
      const pipeline = infisicalPipeline(["duckdb-default", "warehouse"]);
      emulator = await emulatorWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")), warehouse: value });
      const result = await runBruin(["run", pipeline.dir], { env: infisicalEnv(emulator) });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain("warehouse");
      expect(result.stdout).not.toContain("Running:");
      expect(pipeline.noDatabaseCreated()).toBe(true);
      expectNoSecrets(result);
    },
  );
});

describe("bruin run against a flaky or slow Infisical", () => {
  it("logs in again when the token expires in the middle of a run", async () => {
    const pipeline = infisicalPipeline(["wh-a", "wh-b"]);
    // The emulator's clock jumps 40 days ahead (past the default 30-day TTL) as soon as the first read arrives:
    // the token obtained by the login has expired by the time it is checked.
    let counters: Emulator["counters"] | undefined;
    emulator = await emulatorWith(
      { "wh-a": duckdbSecret(pipeline.dbFile("wh-a")), "wh-b": duckdbSecret(pipeline.dbFile("wh-b")) },
      { now: () => Date.now() + ((counters?.getSecret ?? 0) > 0 ? 40 * 86_400_000 : 0) },
    );
    counters = emulator.counters;
    const result = await runBruin(["run", pipeline.dir], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(0);
    expect(emulator.counters.login).toBe(2);
    expect(emulator.requests.some((request) => request.status === 403)).toBe(true);
    expect(await tableCount(pipeline.dbFile("wh-a"))).toBe(1);
    expectNoSecrets(result);
  });

  it("absorbs two 429s, a 503 and a dropped connection", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    emulator = await emulatorWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "getSecret", status: 429, retryAfterSeconds: 1, count: 2 });
    emulator.inject({ match: "getSecret", status: 503, count: 1 });
    emulator.inject({ match: "getSecret", drop: true, count: 1 });
    const result = await runBruin(["run", pipeline.dir], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(0);
    expect(emulator.counters.getSecret).toBe(5);
    expect(emulator.counters.login).toBe(1);
  });

  it("fails a persistent outage within the deadline, with exit code 3", async () => {
    const pipeline = infisicalPipeline(["duckdb-default"]);
    emulator = await emulatorWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "getSecret", status: 500, count: Infinity });
    const started = Date.now();
    const result = await runBruin(["run", pipeline.dir], {
      env: infisicalEnv(emulator, { BRUIN_INFISICAL_TIMEOUT: "3" }),
    });
    const elapsed = Date.now() - started;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to read secret from Infisical");
    expect(elapsed).toBeLessThan(10_000);
    expect(emulator.counters.getSecret).toBeGreaterThan(1);
    expect(pipeline.noDatabaseCreated()).toBe(true);
  });
});
