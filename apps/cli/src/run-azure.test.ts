/**
 * `--secrets-backend azure` end to end: the built CLI (`pnpm build` first)
 * in child processes, against the Azure emulator (an Azure AD token endpoint
 * and a Key Vault over HTTPS with a throwaway CA in NODE_EXTRA_CA_CERTS).
 */
import {
  makeTestCertificates,
  startConnectProxy,
  type ConnectProxy,
  type TestCertificates,
} from "@bruin-ts/infisical-emulator";
import type { AzureEmulator } from "@bruin-ts/secrets-emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AZURE_CLIENT_SECRET, azureEnv, azureWith, localhostCertificate, runBuiltBruin } from "./test-support/azure.js";
import { duckdbSecret, infisicalPipeline as pipelineOn } from "./test-support/infisical.js";
import { readDuckDB, type CliResult } from "./test-support/run-cli.js";

const PG_PASSWORD = "Pg-Pa55word-in-Azure-MARKER-4b2";
const UNUSED = { type: "postgres", details: { host: "h", username: "u", password: PG_PASSWORD, database: "d" } };

let certificates: TestCertificates;
let emulator: AzureEmulator | undefined;
beforeAll(async () => {
  certificates = await makeTestCertificates();
}, 30_000);
afterAll(async () => {
  await certificates?.remove();
});
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const run = (args: string[], env: Record<string, string | undefined>) => runBuiltBruin(args, certificates, env);

function expectNoSecrets(result: CliResult) {
  expect(result.all).not.toContain(AZURE_CLIENT_SECRET);
  expect(result.all).not.toContain(PG_PASSWORD);
  for (const token of emulator?.issuedTokens() ?? []) expect(result.all).not.toContain(token);
  expect(result.all).not.toContain("/secrets/");
}

async function tableCount(file: string): Promise<number> {
  const [row] = await readDuckDB(file, "SELECT count(*) AS n FROM information_schema.tables");
  return Number(row!.n);
}

// Each test starts the built CLI one to four times, a few seconds each on a busy machine.
describe("bruin --secrets-backend azure", { timeout: 60_000 }, () => {
  it("runs on DuckDB with connections only in Key Vault: one read per connection, one token", async () => {
    const pipeline = pipelineOn(["wh-a", "wh_b"], 3);
    emulator = await azureWith(certificates, {
      "wh-a": duckdbSecret(pipeline.dbFile("wh-a")),
      wh_b: duckdbSecret(pipeline.dbFile("wh_b")),
      unused: UNUSED,
    });
    const result = await run(["run", pipeline.dir, "--secrets-backend", "azure"], {
      ...azureEnv(emulator),
      BRUIN_SECRETS_BACKEND: undefined,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ Assets executed\s+6 succeeded/);
    expect(emulator.count("token")).toBe(1);
    expect(emulator.requests.filter((r) => r.route === "get" && r.status === 200)).toHaveLength(2);
    for (const connection of ["wh-a", "wh_b"]) expect(await tableCount(pipeline.dbFile(connection))).toBe(3);
    expectNoSecrets(result);
  });

  it("validate, query, connections test and connections list read from Key Vault", async () => {
    const pipeline = pipelineOn(["wh"]);
    emulator = await azureWith(certificates, { wh: duckdbSecret(pipeline.dbFile("wh")), warehouse: UNUSED });
    const env = azureEnv(emulator);
    const validate = await run(["validate", pipeline.dir], env);
    expect(validate.code).toBe(0);
    const query = await run(["query", "--connection", "wh", "--query", "SELECT 41 + 1 AS answer"], env);
    expect(query.code).toBe(0);
    expect(query.stdout).toContain("42");
    const test = await run(["connections", "test", "--name", "wh"], env);
    expect(test.code).toBe(0);
    const list = await run(["connections", "list", "-o", "json"], env);
    expect(list.code).toBe(0);
    for (const name of ["wh", "warehouse", "locked"]) expect(list.stdout).toContain(`"${name}"`);
    // The first request of a run meets the 401 challenge; the listing itself is made once.
    expect(emulator.requests.filter((r) => r.route === "list").map((r) => r.status)).toEqual([401, 200]);
    for (const result of [validate, query, test, list]) expectNoSecrets(result);
  });

  const variables = [
    "BRUIN_AZURE_KEYVAULT_URL",
    "BRUIN_AZURE_TENANT_ID",
    "BRUIN_AZURE_CLIENT_ID",
    "BRUIN_AZURE_CLIENT_SECRET",
  ] as const;
  it.each(variables)("names %s when it is missing, before any request", async (name) => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await azureWith(certificates, {});
    const result = await run(["run", pipeline.dir], { ...azureEnv(emulator), [name]: undefined });
    expect(result.code).toBe(3);
    const suffix = name === "BRUIN_AZURE_KEYVAULT_URL" ? "" : " for client_credentials auth";
    expect(result.stderr).toContain(
      `failed to initialize Azure Key Vault client: ${name} env variable not set${suffix}`,
    );
    expect(result.stdout).not.toContain("Running:");
    expect(emulator.count("total")).toBe(0);
    expectNoSecrets(result);
  });

  it("refuses a vault outside Key Vault's domains without an authority override", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await azureWith(certificates, {});
    const result = await run(["run", pipeline.dir], { ...azureEnv(emulator), BRUIN_AZURE_AUTHORITY_HOST: undefined });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("invalid Azure Key Vault URL: must be https://<name>.vault.azure.net");
    expect(emulator.count("total")).toBe(0);
  });

  it("a missing secret exits 3 naming the connection, before anything runs", async () => {
    const pipeline = pipelineOn(["wh-present", "wh_missing"]);
    emulator = await azureWith(certificates, { "wh-present": duckdbSecret(pipeline.dbFile("wh-present")) });
    const result = await run(["run", pipeline.dir], azureEnv(emulator));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `secret 'wh_missing' not found in Azure Key Vault ${emulator.url} (looked up as 'wh-missing')`,
    );
    expect(result.stdout).not.toContain("Running:");
    expect(pipeline.noDatabaseCreated()).toBe(true);
    expectNoSecrets(result);
  });

  it("a wrong client secret exits 3 saying Azure AD refused it, and is never printed", async () => {
    const pipeline = pipelineOn(["duckdb-default", "other"]);
    emulator = await azureWith(certificates, { "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const wrong = "Wrong-azure-CLIENT-secret-value-77";
    const result = await run(["run", pipeline.dir], azureEnv(emulator, { BRUIN_AZURE_CLIENT_SECRET: wrong }));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "failed to read secret 'duckdb-default' from Azure Key Vault: Azure AD refused the client credentials (invalid_client, AADSTS7000215)",
    );
    expect(result.stderr).toContain("BRUIN_AZURE_CLIENT_SECRET");
    expect(result.all).not.toContain(wrong);
    expect(emulator.count("token")).toBe(1);
    expect(pipeline.noDatabaseCreated()).toBe(true);
  });

  it("a secret the app may not read is permission denied with the role hint", async () => {
    const pipeline = pipelineOn(["locked"]);
    emulator = await azureWith(certificates, {});
    const result = await run(["run", pipeline.dir], azureEnv(emulator));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to read secret 'locked' from Azure Key Vault: permission denied");
    expect(result.stderr).toContain("Key Vault Secrets User");
  });

  it("rides out a 429 storm that ends (Retry-After honoured)", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await azureWith(certificates, { "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "get", status: 429, retryAfter: 1, count: 2 });
    const started = Date.now();
    const result = await run(["run", pipeline.dir], azureEnv(emulator));
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(emulator.requests.filter((r) => r.route === "get").map((r) => r.status)).toEqual([429, 429, 401, 200]);
    expectNoSecrets(result);
  });

  it("a 429 storm that outlasts the retries exits 3, saying so", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await azureWith(certificates, { "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "get", status: 429, retryAfter: null, count: Infinity });
    const result = await run(["run", pipeline.dir], azureEnv(emulator));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("kept rate-limiting the requests (HTTP 429, 4 attempts)");
    expect(emulator.count("get")).toBe(4);
  });

  it("with AZURE_LOG_LEVEL=verbose the SDK's own log (on stderr, not through bruin's masking) holds no secret", async () => {
    const pipeline = pipelineOn(["wh"]);
    emulator = await azureWith(certificates, {
      wh: { type: "duckdb", details: { path: pipeline.dbFile("wh"), password: PG_PASSWORD } },
    });
    const result = await run(["run", pipeline.dir], { ...azureEnv(emulator), AZURE_LOG_LEVEL: "verbose" });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("azure:identity:info");
    expect(emulator.issuedTokens()).toHaveLength(1);
    for (const token of emulator.issuedTokens()) expect(result.all).not.toContain(token);
    expect(result.all).not.toContain(AZURE_CLIENT_SECRET);
    expect(result.all).not.toContain(PG_PASSWORD);
  });

  it("refuses --environment, which Key Vault does not have", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await azureWith(certificates, {});
    const result = await run(["run", pipeline.dir, "--environment", "prod"], azureEnv(emulator));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--environment cannot be used with the azure backend");
    expect(emulator.count("total")).toBe(0);
  });

  describe("behind a proxy", () => {
    let proxy: ConnectProxy;
    let localhost: { key: string; cert: string };
    beforeAll(async () => {
      proxy = await startConnectProxy();
      localhost = await localhostCertificate(certificates);
    }, 30_000);
    afterAll(async () => {
      await proxy?.stop();
    });

    it.each(["HTTPS_PROXY", "https_proxy"])(
      "%s: the token request and the reads go through the proxy's tunnel; NO_PROXY bypasses it",
      async (variable) => {
        proxy.requestLines.length = 0;
        const pipeline = pipelineOn(["wh"]);
        emulator = await azureWith(certificates, { wh: duckdbSecret(pipeline.dbFile("wh")) }, localhost);
        const url = emulator.url.replace("127.0.0.1", "localhost");
        const env = { ...azureEnv(emulator), BRUIN_AZURE_KEYVAULT_URL: url, BRUIN_AZURE_AUTHORITY_HOST: url };
        const result = await run(["run", pipeline.dir], { ...env, [variable]: proxy.url });
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        // The metadata, the token and the reads: each through a tunnel to the vault's host, nothing else.
        expect(proxy.requestLines.length).toBeGreaterThanOrEqual(1);
        expect(new Set(proxy.requestLines)).toEqual(new Set([`CONNECT ${new URL(url).host} HTTP/1.1`]));
        expect(emulator.count("token")).toBe(1);
        expectNoSecrets(result);
        proxy.requestLines.length = 0;
        const bypassed = await run(["run", pipeline.dir], { ...env, [variable]: proxy.url, NO_PROXY: "localhost" });
        expect(bypassed.code).toBe(0);
        expect(proxy.requestLines).toEqual([]);
      },
    );
  });
});
