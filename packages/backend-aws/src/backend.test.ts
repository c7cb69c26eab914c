import { startAwsSecretsManagerEmulator, type AwsEmulator } from "@bruin-ts/secrets-emulators";
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
import { createAwsBackend, type AwsBackendOptions } from "./backend.js";

const ACCESS_KEY = "AKIABRUINTEST0000001";
const SECRET_KEY = "aws-SECRET-key-MARKER-5f1/abcdefghij";
const PASSWORD = "aws-pg-Pa55-MARKER-c3d";
const PG = JSON.stringify({
  type: "postgres",
  details: { host: "db", port: 5432, username: "u", password: PASSWORD, database: "d" },
});

let emulator: AwsEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start(secrets: Record<string, string> = {}) {
  emulator = await startAwsSecretsManagerEmulator({
    seed: {
      credentials: [
        { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, deny: ["locked"] },
        { accessKeyId: "AKIANOBATCH000000001", secretAccessKey: SECRET_KEY, deny: ["*BatchGetSecretValue"] },
      ],
      secrets: { pg: PG, locked: PG, broken: "{not json", "no-type": '{"details":{}}', ...secrets },
      region: "eu-west-1",
    },
  });
  return emulator;
}

const env = (e: AwsEmulator, extra: Record<string, string | undefined> = {}) => ({
  BRUIN_AWS_ACCESS_KEY_ID: ACCESS_KEY,
  BRUIN_AWS_SECRET_ACCESS_KEY: SECRET_KEY,
  BRUIN_AWS_REGION: "eu-west-1",
  BRUIN_AWS_ENDPOINT_URL: e.url,
  ...extra,
});

function backend(e: AwsEmulator, extra: Record<string, string | undefined> = {}, options: AwsBackendOptions = {}) {
  const redactor = new Redactor();
  return { redactor, backend: createAwsBackend({ env: env(e, extra), redactor, cwd: "/" }, options) };
}

async function failure(promise: Promise<unknown>): Promise<SecretsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error("expected a rejection");
  return error as SecretsError;
}

const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}`, PG]));

describe("aws backend", () => {
  it("reads each connection with one GetSecretValue, masks values and the secret key", async () => {
    const e = await start();
    const { backend: b, redactor } = backend(e);
    const { connections, failures } = await new ConnectionResolver({ backend: b }).resolveAll(["pg"]);
    expect(failures).toEqual([]);
    expect(connections.get("pg")).toMatchObject({ name: "pg", type: "postgres", details: { password: PASSWORD } });
    expect(e.count("GetSecretValue")).toBe(1);
    expect(redactor.redact(`${SECRET_KEY} ${PASSWORD} ${PG}`)).not.toMatch(/MARKER/);
    expect(b.describe()).toBe(`AWS Secrets Manager at ${e.url} (region 'eu-west-1')`);
    await b.close();
  });

  it("from 5 connections on, reads them with BatchGetSecretValue, 20 per call", async () => {
    const e = await start(many(25));
    const { backend: b } = backend(e);
    const names = Array.from({ length: 25 }, (_, i) => `c${i}`);
    const { connections, failures } = await new ConnectionResolver({ backend: b }).resolveAll(names);
    expect(failures).toEqual([]);
    expect(connections.size).toBe(25);
    expect(e.count("GetSecretValue")).toBe(0);
    expect(e.batches.map((batch) => batch.length)).toEqual([20, 5]);
    const four = await new ConnectionResolver({ backend: b }).resolveAll(["c0", "c1", "c2", "c3"]);
    expect(four.connections.size).toBe(4);
    expect(e.count("GetSecretValue")).toBe(4);
    await b.close();
  });

  it("a batch reports a missing and a denied secret per connection, the others are read", async () => {
    const e = await start(many(4));
    const { backend: b } = backend(e);
    const { connections, failures } = await new ConnectionResolver({ backend: b }).resolveAll([
      "c0",
      "c1",
      "c2",
      "missing",
      "locked",
    ]);
    expect([...connections.keys()].sort()).toEqual(["c0", "c1", "c2"]);
    const byName = new Map(failures.map((f) => [f.connection, f]));
    expect(byName.get("missing")).toBeInstanceOf(NotFoundError);
    expect(byName.get("missing")!.describe()).toContain(
      "secret 'missing' not found in AWS Secrets Manager (region 'eu-west-1')",
    );
    expect(byName.get("locked")).toBeInstanceOf(PermissionError);
    expect(byName.get("locked")!.describe()).toContain("access denied (AccessDeniedException; region 'eu-west-1')");
    expect(e.count("BatchGetSecretValue")).toBe(1);
    expect(e.count("GetSecretValue")).toBe(0);
    await b.close();
  });

  it("an identity that may not call BatchGetSecretValue gets single reads", async () => {
    const e = await start(many(6));
    const { backend: b } = backend(e, { BRUIN_AWS_ACCESS_KEY_ID: "AKIANOBATCH000000001" });
    const names = Array.from({ length: 6 }, (_, i) => `c${i}`);
    const { connections } = await new ConnectionResolver({ backend: b }).resolveAll(names);
    expect(connections.size).toBe(6);
    expect(e.count("BatchGetSecretValue")).toBe(1);
    expect(e.count("GetSecretValue")).toBe(6);
    await b.close();
  });

  it("not found, access denied, invalid JSON, a missing type and a bad name", async () => {
    const e = await start();
    const { backend: b } = backend(e);
    const missing = await failure(b.get("nope"));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.exitCode).toBe(3);
    const denied = await failure(b.get("locked"));
    expect(denied).toBeInstanceOf(PermissionError);
    expect(denied.describe()).toContain("failed to read secret 'locked' from AWS Secrets Manager: access denied");
    expect(denied.describe()).toContain("secretsmanager:GetSecretValue");
    const broken = await failure(b.get("broken"));
    expect(broken).toBeInstanceOf(UnparsableSecretError);
    expect(broken.describe()).toContain("failed to parse secret as JSON");
    expect(broken.describe()).not.toContain("{not json");
    expect(await failure(b.get("no-type"))).toBeInstanceOf(InvalidSecretError);
    expect(await failure(b.get("a b"))).toBeInstanceOf(ConfigurationError);
    await b.close();
  });

  it("a wrong secret key or an unknown access key is an authentication error naming the variables", async () => {
    const e = await start();
    const wrong = await failure(backend(e, { BRUIN_AWS_SECRET_ACCESS_KEY: "wrong-secret-key-0001" }).backend.get("pg"));
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong.describe()).toContain("the credentials were refused (InvalidSignatureException)");
    expect(wrong.describe()).toContain("BRUIN_AWS_SECRET_ACCESS_KEY");
    const unknown = await failure(backend(e, { BRUIN_AWS_ACCESS_KEY_ID: "AKIAUNKNOWN" }).backend.get("pg"));
    expect(unknown).toBeInstanceOf(AuthenticationError);
    expect(unknown.describe()).toContain("UnrecognizedClientException");
  });

  it("the SDK retries throttling, 5xx and resets; a 429 storm past the retries fails with the reason", async () => {
    const e = await start();
    e.inject({ status: 429, retryAfter: null, count: 1 });
    e.inject({ status: 503, count: 1 });
    e.inject({ reset: true, count: 1 });
    const { backend: b } = backend(e);
    expect((await b.get("pg")).type).toBe("postgres");
    expect(e.requests.map((request) => request.status)).toEqual([429, 503, 0, 200]);
    e.inject({ status: 429, retryAfter: 0, count: Infinity });
    const storm = await failure(backend(e, {}, { maxRetries: 1 }).backend.get("pg"));
    expect(storm).toBeInstanceOf(UnavailableError);
    expect(storm.describe()).toContain("kept rate-limiting the requests (HTTP 429, 2 attempts)");
    await b.close();
  });

  it("gives up within the overall deadline", async () => {
    const e = await start();
    e.inject({ delayMs: 2_000, count: Infinity });
    const started = Date.now();
    const late = await failure(backend(e, {}, { timeoutMs: 300 }).backend.get("pg"));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(late).toBeInstanceOf(UnavailableError);
    expect(late.describe()).toContain("did not answer within");
  });

  it("an unreachable endpoint is unavailable, naming the variable to check", async () => {
    const e = await start();
    const url = e.url;
    await e.stop();
    emulator = undefined;
    const redactor = new Redactor();
    const b = createAwsBackend(
      {
        env: {
          BRUIN_AWS_ACCESS_KEY_ID: ACCESS_KEY,
          BRUIN_AWS_SECRET_ACCESS_KEY: SECRET_KEY,
          BRUIN_AWS_REGION: "eu-west-1",
          AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
        },
        redactor,
        cwd: "/",
      },
      { maxRetries: 1 },
    );
    const error = await failure(b.get("pg"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.describe()).toContain(`could not reach ${url} (ECONNREFUSED`);
    expect(error.describe()).toContain("Check AWS_ENDPOINT_URL_SECRETS_MANAGER");
  });

  it("refuses an answer larger than the cap, without retrying it or holding it", async () => {
    const big = JSON.stringify({ type: "generic", details: { value: "x".repeat(300_000) } });
    const e = await start({ big });
    const { backend: b } = backend(e, {}, { maxResponseBytes: 100_000 });
    const error = await failure(b.get("big"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.describe()).toContain(`the answer from ${e.url} is larger than 100000 bytes`);
    expect(e.count("GetSecretValue")).toBe(1);
    expect((await b.get("pg")).type).toBe("postgres");
    await b.close();
  });

  it("lists the region's secrets that can be connection names, over every page", async () => {
    const e = await start({ ...many(120), "team/app": PG });
    const { backend: b } = backend(e);
    const names = await b.list();
    expect(names).toContain("c119");
    expect(names).toContain("pg");
    expect(names).not.toContain("team/app");
    expect(names.length).toBe(124);
    expect(e.count("ListSecrets")).toBe(2);
    await b.close();
  });
});
