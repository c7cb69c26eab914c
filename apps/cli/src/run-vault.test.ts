import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startVaultEmulator, type VaultEmulator } from "@bruin-ts/secrets-emulators";
import { afterEach, describe, expect, it } from "vitest";
import { duckdbSecret, infisicalPipeline as pipelineOn } from "./test-support/infisical.js";
import { readDuckDB, runBruin, type CliResult } from "./test-support/run-cli.js";
import { VAULT_TOKEN, vaultEnv, vaultWith } from "./test-support/vault-doppler.js";

let emulator: VaultEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const PG_PASSWORD = "Pg-Pa55word-in-Vault-MARKER-19c";
const UNUSED = { type: "postgres", details: { host: "h", username: "u", password: PG_PASSWORD, database: "d" } };

function expectNoSecrets(result: CliResult) {
  expect(result.all).not.toContain(VAULT_TOKEN);
  expect(result.all).not.toContain(PG_PASSWORD);
  expect(result.all).not.toContain("/v1/");
}

async function tableCount(file: string): Promise<number> {
  const [row] = await readDuckDB(file, "SELECT count(*) AS n FROM information_schema.tables");
  return Number(row!.n);
}

describe("bruin run --secrets-backend vault", () => {
  it("runs on DuckDB with connections only in Vault: one read per distinct connection, in parallel", async () => {
    const pipeline = pipelineOn(["wh-a", "wh-b"], 3);
    emulator = await vaultWith({
      "wh-a": duckdbSecret(pipeline.dbFile("wh-a")),
      "wh-b": duckdbSecret(pipeline.dbFile("wh-b")),
      unused: UNUSED,
    });
    const result = await runBruin(["run", pipeline.dir, "--secrets-backend", "vault"], {
      env: { ...vaultEnv(emulator), BRUIN_SECRETS_BACKEND: undefined },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ Assets executed\s+6 succeeded/);
    expect(emulator.count("read")).toBe(2);
    for (const connection of ["wh-a", "wh-b"]) expect(await tableCount(pipeline.dbFile(connection))).toBe(3);
    expectNoSecrets(result);
  });

  const variables = ["BRUIN_VAULT_HOST", "BRUIN_VAULT_TOKEN", "BRUIN_VAULT_PATH", "BRUIN_VAULT_MOUNT_PATH"];
  it.each(variables.map((name, index) => [name, index]))(
    "names %s when it is the first missing variable",
    async (name, index) => {
      const pipeline = pipelineOn(["duckdb-default"]);
      emulator = await vaultWith({});
      const env: Record<string, string | undefined> = vaultEnv(emulator);
      for (const later of variables.slice(index as number)) env[later] = undefined;
      const result = await runBruin(["run", pipeline.dir], { env });
      expect(result.code).toBe(3);
      const text =
        name === "BRUIN_VAULT_TOKEN"
          ? "BRUIN_VAULT_TOKEN or BRUIN_VAULT_ROLE env variable not set"
          : `${name} env variable not set`;
      expect(result.stderr).toContain(`failed to initialize vault client: ${text}`);
      expect(result.stdout).not.toContain("Running:");
      expect(emulator.count("total")).toBe(0);
    },
  );

  it("refuses BRUIN_VAULT_TIMEOUT that is not a Go duration, naming it", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await vaultWith({});
    const result = await runBruin(["run", pipeline.dir], { env: vaultEnv(emulator, { BRUIN_VAULT_TIMEOUT: "30" }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("BRUIN_VAULT_TIMEOUT must be a duration");
  });

  it("a missing secret exits 3 naming the connection, before anything runs", async () => {
    const pipeline = pipelineOn(["wh-present", "wh-missing"]);
    emulator = await vaultWith({ "wh-present": duckdbSecret(pipeline.dbFile("wh-present")) });
    const result = await runBruin(["run", pipeline.dir], { env: vaultEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("secret 'wh-missing' not found in Vault");
    expect(result.stdout).not.toContain("Running:");
    expect(pipeline.noDatabaseCreated()).toBe(true);
    expectNoSecrets(result);
  });

  it("a bad token is permission denied with the policy hint, and the token is never printed", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await vaultWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const wrong = `${VAULT_TOKEN}-wrong`;
    const result = await runBruin(["run", pipeline.dir], { env: vaultEnv(emulator, { BRUIN_VAULT_TOKEN: wrong }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to read secret 'duckdb-default' from Vault: permission denied");
    expect(result.stderr).toContain("policy grants");
    expect(result.all).not.toContain(wrong);
    expect(pipeline.noDatabaseCreated()).toBe(true);
  });

  it("a secret with an invalid field exits 3 naming the connection, without its value", async () => {
    const pipeline = pipelineOn(["warehouse"]);
    emulator = await vaultWith({
      warehouse: {
        type: "postgres",
        details: { host: "h", port: "abc", username: "u", password: PG_PASSWORD, database: "d" },
      },
    });
    const result = await runBruin(["run", pipeline.dir], { env: vaultEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("warehouse");
    expect(result.stderr).toMatch(/invalid field 'port'/);
    expectNoSecrets(result);
  });

  it("rides out a 429 storm that ends (Retry-After honoured)", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await vaultWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "read", status: 429, retryAfter: 1, count: 2 });
    const started = Date.now();
    const result = await runBruin(["run", pipeline.dir], { env: vaultEnv(emulator) });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 429, 200]);
    expectNoSecrets(result);
  });

  it("a 429 storm that outlasts the retries exits 3, saying so", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await vaultWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "read", status: 429, retryAfter: null, count: Infinity });
    const result = await runBruin(["run", pipeline.dir], { env: vaultEnv(emulator, { BRUIN_VAULT_MAX_RETRIES: "2" }) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("kept rate-limiting the requests (HTTP 429, 3 attempts)");
    expect(emulator.count("read")).toBe(3);
  });

  it("connections list names the secrets under the path and never prints a value", async () => {
    emulator = await vaultWith({ "duckdb-default": duckdbSecret("/tmp/x.duckdb"), warehouse: UNUSED });
    const result = await runBruin(["connections", "list", "-o", "json"], { env: vaultEnv(emulator) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("duckdb-default");
    expect(result.stdout).toContain("warehouse");
    expect(emulator.count("list")).toBe(1);
    expectNoSecrets(result);
  });

  it("refuses --environment, which Vault does not have", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await vaultWith({});
    const result = await runBruin(["run", pipeline.dir, "--environment", "prod"], { env: vaultEnv(emulator) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--environment cannot be used with the vault backend");
    expect(emulator.count("total")).toBe(0);
  });

  it("logs in with Kubernetes auth (BRUIN_VAULT_ROLE) once per run, never printing the service-account token", async () => {
    const jwt = "eyJ.cli-k8s-SA-token-MARKER-7d3.sig";
    const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), "bruin-vault-sa-")), "token");
    writeFileSync(tokenFile, jwt);
    const pipeline = pipelineOn(["wh-a", "wh-b"]);
    emulator = await startVaultEmulator({
      seed: {
        mounts: {
          secret: {
            "bruin/wh-a": JSON.parse(duckdbSecret(pipeline.dbFile("wh-a"))),
            "bruin/wh-b": JSON.parse(duckdbSecret(pipeline.dbFile("wh-b"))),
          },
        },
        kubernetes: { roles: { bruin: { jwt } } },
      },
    });
    const env = vaultEnv(emulator, {
      BRUIN_VAULT_TOKEN: undefined,
      BRUIN_VAULT_ROLE: "bruin",
      BRUIN_VAULT_K8S_TOKEN_PATH: tokenFile,
    });
    const result = await runBruin(["run", pipeline.dir], { env });
    expect(result.code).toBe(0);
    expect(emulator.count("login")).toBe(1);
    expect(emulator.count("read")).toBe(2);
    expect(result.all).not.toContain(jwt);
    const refused = await runBruin(["run", pipeline.dir], { env: { ...env, BRUIN_VAULT_ROLE: "other" } });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("failed to login to the secrets backend");
    expect(refused.stderr).toContain("role 'other'");
    expect(refused.all).not.toContain(jwt);
  });
});
