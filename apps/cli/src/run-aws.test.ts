import type { AwsEmulator } from "@bruin-ts/secrets-emulators";
import { afterEach, describe, expect, it } from "vitest";
import { AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, awsEnv, awsWith } from "./test-support/aws.js";
import { duckdbSecret, infisicalPipeline as pipelineOn } from "./test-support/infisical.js";
import { readDuckDB, runBruin, type CliResult } from "./test-support/run-cli.js";

let emulator: AwsEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const PG_PASSWORD = "Pg-Pa55word-in-AWS-MARKER-4e8";
const UNUSED = { type: "postgres", details: { host: "h", username: "u", password: PG_PASSWORD, database: "d" } };

function expectNoSecrets(result: CliResult) {
  expect(result.all).not.toContain(AWS_SECRET_ACCESS_KEY);
  expect(result.all).not.toContain(AWS_SESSION_TOKEN);
  expect(result.all).not.toContain(PG_PASSWORD);
  expect(result.all).not.toContain("AWS4-HMAC-SHA256");
}

async function tableCount(file: string): Promise<number> {
  const [row] = await readDuckDB(file, "SELECT count(*) AS n FROM information_schema.tables");
  return Number(row!.n);
}

describe("bruin run --secrets-backend aws", () => {
  it("runs on DuckDB with connections only in AWS Secrets Manager: one GetSecretValue per connection", async () => {
    const pipeline = pipelineOn(["wh-a", "wh-b"], 3);
    emulator = await awsWith({
      "wh-a": duckdbSecret(pipeline.dbFile("wh-a")),
      "wh-b": duckdbSecret(pipeline.dbFile("wh-b")),
      unused: UNUSED,
    });
    const result = await runBruin(["run", pipeline.dir, "--secrets-backend", "aws"], {
      env: { ...awsEnv(emulator), BRUIN_SECRETS_BACKEND: undefined },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ Assets executed\s+6 succeeded/);
    expect(emulator.count("GetSecretValue")).toBe(2);
    expect(emulator.count("BatchGetSecretValue")).toBe(0);
    for (const connection of ["wh-a", "wh-b"]) expect(await tableCount(pipeline.dbFile(connection))).toBe(3);
    expectNoSecrets(result);
  });

  it("reads 6 connections with one BatchGetSecretValue", async () => {
    const names = ["c1", "c2", "c3", "c4", "c5", "c6"];
    const pipeline = pipelineOn(names);
    emulator = await awsWith(Object.fromEntries(names.map((name) => [name, duckdbSecret(pipeline.dbFile(name))])));
    const result = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ Assets executed\s+6 succeeded/);
    expect(emulator.count("BatchGetSecretValue")).toBe(1);
    expect(emulator.count("GetSecretValue")).toBe(0);
    expect([...emulator.batches[0]!].sort()).toEqual(names);
  });

  it("temporary credentials: BRUIN_AWS_SESSION_TOKEN is sent and never printed", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await awsWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const temporary = { BRUIN_AWS_ACCESS_KEY_ID: "AKIACLITEMPORARY0001" };
    const without = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator, temporary) });
    expect(without.code).toBe(3);
    expect(without.stderr).toContain("the credentials were refused (UnrecognizedClientException)");
    const result = await runBruin(["run", pipeline.dir], {
      env: awsEnv(emulator, { ...temporary, BRUIN_AWS_SESSION_TOKEN: AWS_SESSION_TOKEN }),
    });
    expect(result.code).toBe(0);
    expectNoSecrets(result);
  });

  it.each([
    ["BRUIN_AWS_SECRET_ACCESS_KEY", { BRUIN_AWS_SECRET_ACCESS_KEY: undefined }],
    ["BRUIN_AWS_ACCESS_KEY_ID", { BRUIN_AWS_ACCESS_KEY_ID: undefined }],
    ["BRUIN_AWS_REGION", { BRUIN_AWS_REGION: undefined, AWS_REGION: undefined }],
  ])("names %s when it is missing, before any request", async (name, unset) => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await awsWith({});
    const result = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator, unset) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`failed to initialize AWS Secrets Manager client: ${name} env variable not set`);
    expect(result.stdout).not.toContain("Running:");
    expect(emulator.count("total")).toBe(0);
    expectNoSecrets(result);
  });

  it("a missing secret exits 3 naming the connection, before anything runs", async () => {
    const pipeline = pipelineOn(["wh-present", "wh-missing"]);
    emulator = await awsWith({ "wh-present": duckdbSecret(pipeline.dbFile("wh-present")), unused: UNUSED });
    const result = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("secret 'wh-missing' not found in AWS Secrets Manager (region 'eu-west-1')");
    expect(result.stdout).not.toContain("Running:");
    expect(pipeline.noDatabaseCreated()).toBe(true);
    expectNoSecrets(result);
  });

  it("a wrong secret access key is an authentication failure naming the variables, never printing the key", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await awsWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    const wrong = `${AWS_SECRET_ACCESS_KEY}-wrong`;
    const result = await runBruin(["run", pipeline.dir], {
      env: awsEnv(emulator, { BRUIN_AWS_SECRET_ACCESS_KEY: wrong }),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "failed to read secret 'duckdb-default' from AWS Secrets Manager: the credentials were refused (InvalidSignatureException)",
    );
    expect(result.stderr).toContain("BRUIN_AWS_SECRET_ACCESS_KEY");
    expect(result.all).not.toContain(wrong);
    expect(pipeline.noDatabaseCreated()).toBe(true);
  });

  it("a secret the key may not read is access denied, with the IAM action to allow", async () => {
    const pipeline = pipelineOn(["locked"]);
    emulator = await awsWith({ locked: UNUSED });
    const result = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("failed to read secret 'locked' from AWS Secrets Manager: access denied");
    expect(result.stderr).toContain("secretsmanager:GetSecretValue");
    expectNoSecrets(result);
  });

  it("a secret with an invalid field exits 3 naming the connection, without its value", async () => {
    const pipeline = pipelineOn(["warehouse"]);
    emulator = await awsWith({
      warehouse: {
        type: "postgres",
        details: { host: "h", port: "abc", username: "u", password: PG_PASSWORD, database: "d" },
      },
    });
    const result = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("warehouse");
    expect(result.stderr).toMatch(/invalid field 'port'/);
    expectNoSecrets(result);
  });

  it("rides out a 429 storm that ends (ThrottlingException, Retry-After honoured)", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await awsWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "GetSecretValue", status: 429, retryAfter: 1, count: 2 });
    const started = Date.now();
    const result = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator) });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 429, 200]);
    expectNoSecrets(result);
  });

  it("a 429 storm that outlasts the retries exits 3, saying so, after 4 attempts", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await awsWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
    emulator.inject({ match: "GetSecretValue", status: 429, retryAfter: 0, count: Infinity });
    const result = await runBruin(["run", pipeline.dir], { env: awsEnv(emulator) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("kept rate-limiting the requests (HTTP 429, 4 attempts)");
    expect(emulator.count("GetSecretValue")).toBe(4);
    expectNoSecrets(result);
  }, 30_000);

  it("connections list names the region's secrets (not those with '/') and never prints a value", async () => {
    emulator = await awsWith({
      "duckdb-default": duckdbSecret("/tmp/x.duckdb"),
      warehouse: UNUSED,
      "app/prod/db": UNUSED,
    });
    const result = await runBruin(["connections", "list", "-o", "json"], { env: awsEnv(emulator) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("duckdb-default");
    expect(result.stdout).toContain("warehouse");
    expect(result.stdout).not.toContain("app/prod/db");
    expect(emulator.count("ListSecrets")).toBe(1);
    expectNoSecrets(result);
  });

  it("validate, query and connections test take their connections from AWS too", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await awsWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")), unused: UNUSED });
    const validate = await runBruin(["validate", pipeline.dir], { env: awsEnv(emulator) });
    expect(validate.code, validate.all).toBe(0);
    const query = await runBruin(["query", "-c", "duckdb-default", "-q", "SELECT 42 AS answer", "-o", "json"], {
      env: awsEnv(emulator),
    });
    expect(query.code, query.all).toBe(0);
    expect(query.stdout).toContain("42");
    const test = await runBruin(["connections", "test", "duckdb-default"], { env: awsEnv(emulator) });
    expect(test.code, test.all).toBe(0);
    const missing = await runBruin(["query", "-c", "nope", "-q", "SELECT 1"], { env: awsEnv(emulator) });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("secret 'nope' not found in AWS Secrets Manager");
    for (const result of [validate, query, test, missing]) expectNoSecrets(result);
  });

  it("refuses --environment, which AWS Secrets Manager does not have", async () => {
    const pipeline = pipelineOn(["duckdb-default"]);
    emulator = await awsWith({});
    const result = await runBruin(["run", pipeline.dir, "--environment", "prod"], { env: awsEnv(emulator) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--environment cannot be used with the aws backend");
    expect(emulator.count("total")).toBe(0);
  });

  it("with --verbose, a failure still prints no key and no value", async () => {
    const pipeline = pipelineOn(["duckdb-default", "warehouse"]);
    emulator = await awsWith({
      "duckdb-default": duckdbSecret(pipeline.dbFile("main")),
      warehouse: {
        type: "postgres",
        details: { host: "h", port: "abc", username: "u", password: PG_PASSWORD, database: "d" },
      },
    });
    const result = await runBruin(["run", pipeline.dir, "--verbose"], {
      env: awsEnv(emulator, { BRUIN_AWS_SESSION_TOKEN: AWS_SESSION_TOKEN }),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("warehouse");
    expectNoSecrets(result);
  });
});
