import type { DopplerEmulator } from "@bruin-ts/secrets-emulators";
import { afterEach, describe, expect, it } from "vitest";
import { duckdbSecret, infisicalPipeline as pipelineOn } from "./test-support/infisical.js";
import { readDuckDB, runBruin, type CliResult } from "./test-support/run-cli.js";
import { DOPPLER_TOKEN, dopplerEnv, dopplerWith } from "./test-support/vault-doppler.js";

let emulator: DopplerEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const PG_PASSWORD = "Pg-Pa55word-in-Doppler-MARKER-6b2";
const UNUSED = JSON.stringify({
  type: "postgres",
  details: { host: "h", username: "u", password: PG_PASSWORD, database: "d" },
});

function expectNoSecrets(result: CliResult) {
  expect(result.all).not.toContain(DOPPLER_TOKEN);
  expect(result.all).not.toContain(PG_PASSWORD);
  expect(result.all).not.toMatch(/Bearer/);
}

async function tableCount(file: string): Promise<number> {
  const [row] = await readDuckDB(file, "SELECT count(*) AS n FROM information_schema.tables");
  return Number(row!.n);
}

describe("bruin run --secrets-backend doppler", () => {
  it("runs on DuckDB with connections only in Doppler, from one download; wh-b is found as WH_B", async () => {
    const pipeline = pipelineOn(["wh-a", "wh-b"], 3);
    emulator = await dopplerWith({
      "wh-a": duckdbSecret(pipeline.dbFile("wh-a")),
      WH_B: duckdbSecret(pipeline.dbFile("wh-b")),
      UNUSED,
    });
    const result = await runBruin(["run", pipeline.dir, "--secrets-backend", "doppler"], {
      env: { ...dopplerEnv(emulator), BRUIN_SECRETS_BACKEND: undefined },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ Assets executed\s+6 succeeded/);
    expect(emulator.count("download")).toBe(1);
    for (const connection of ["wh-a", "wh-b"]) expect(await tableCount(pipeline.dbFile(connection))).toBe(3);
    expectNoSecrets(result);
  });

  const variables = ["BRUIN_DOPPLER_TOKEN", "BRUIN_DOPPLER_PROJECT", "BRUIN_DOPPLER_CONFIG"];
  it.each(variables.map((name, index) => [name, index]))(
    "names %s when it is the first missing variable",
    async (name, index) => {
      const pipeline = pipelineOn(["duckdb-default"]);
      emulator = await dopplerWith({});
      const env: Record<string, string | undefined> = dopplerEnv(emulator);
      for (const later of variables.slice(index as number)) env[later] = undefined;
      const result = await runBruin(["run", pipeline.dir], { env });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`failed to initialize doppler client: ${name} env variable not set`);
      expect(result.stdout).not.toContain("Running:");
      expect(emulator.count("total")).toBe(0);
    },
  );

  it("a missing secret exits 3 naming the connection, before anything runs", async () => {
    const pipeline = pipelineOn(["wh-present", "wh-missing"]);
    emulator = await dopplerWith({ "wh-present": duckdbSecret(pipeline.dbFile("wh-present")), UNUSED });
    const result = await runBruin(["run", pipeline.dir], { env: dopplerEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("secret 'wh-missing' not found in Doppler (also looked up as 'WH_MISSING')");
    expect(result.stdout).not.toContain("Running:");
    expect(pipeline.noDatabaseCreated()).toBe(true);
    expectNoSecrets(result);
  });

  it("a bad token is an authentication failure naming BRUIN_DOPPLER_TOKEN, never printing it", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await dopplerWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const wrong = `${DOPPLER_TOKEN}-wrong`;
    const result = await runBruin(["run", pipeline.dir], { env: dopplerEnv(emulator, { BRUIN_DOPPLER_TOKEN: wrong }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("doppler API returned status 401");
    expect(result.stderr).toContain("BRUIN_DOPPLER_TOKEN");
    expect(result.all).not.toContain(wrong);
    expect(pipeline.noDatabaseCreated()).toBe(true);
  });

  it("a secret that is not JSON exits 3 naming the connection, without its value", async () => {
    const pipeline = pipelineOn(["warehouse"]);
    emulator = await dopplerWith({ WAREHOUSE: `{"type": "postgres", "details": {"password": "${PG_PASSWORD}"` });
    const result = await runBruin(["run", pipeline.dir], { env: dopplerEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to parse secret as JSON");
    expect(result.stderr).toContain("warehouse");
    expectNoSecrets(result);
  });

  it("rides out a 429 storm that ends (Retry-After honoured), still one successful download", async () => {
    const pipeline = pipelineOn(["duckdb-default", "wh-b"]);
    emulator = await dopplerWith({
      "duckdb-default": duckdbSecret(pipeline.dbFile("main")),
      "wh-b": duckdbSecret(pipeline.dbFile("wh-b")),
    });
    emulator.inject({ status: 429, retryAfter: 1, count: 2 });
    const started = Date.now();
    const result = await runBruin(["run", pipeline.dir], { env: dopplerEnv(emulator) });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 429, 200]);
    expectNoSecrets(result);
  });

  it("connections list names the config's secrets from the download, and --environment selects the config", async () => {
    emulator = await dopplerWith({ "duckdb-default": duckdbSecret("/tmp/x.duckdb"), WAREHOUSE: UNUSED });
    const result = await runBruin(["connections", "list", "-o", "json"], { env: dopplerEnv(emulator) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("duckdb-default");
    expect(result.stdout).toContain("WAREHOUSE");
    expect(result.stdout).not.toContain("DOPPLER_PROJECT");
    expectNoSecrets(result);
    // The token may read `prd` only: asking for `dev` with --environment is refused by Doppler (403).
    const dev = await runBruin(["connections", "list", "--environment", "dev"], { env: dopplerEnv(emulator) });
    expect(dev.code).not.toBe(0);
    expect(dev.all).toContain("config 'dev'");
    expect(emulator.count("download")).toBe(2);
  });
});
