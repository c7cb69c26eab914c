/** The AWS Secrets Manager emulator, driven by the official client (@aws-sdk/client-secrets-manager). */
import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { afterEach, describe, expect, it } from "vitest";
import { startAwsSecretsManagerEmulator, type AwsEmulator } from "./aws.js";

const KEY = { accessKeyId: "AKIAEMULATOR00000001", secretAccessKey: "emulator-secret-key/0001" };
const PG = JSON.stringify({ type: "postgres", details: { password: "aws-emu-pw" } });

let emulator: AwsEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start() {
  emulator = await startAwsSecretsManagerEmulator({
    seed: {
      credentials: [
        { ...KEY, deny: ["locked"] },
        { accessKeyId: "ASIATEMPORARY0000001", secretAccessKey: "temp-secret", sessionToken: "session-tok" },
      ],
      secrets: { pg: PG, locked: PG, "team/a": PG, "team/b": PG, other: PG },
    },
  });
  return emulator;
}

function client(e: AwsEmulator, credentials: Record<string, string> = KEY, maxAttempts = 1) {
  return new SecretsManagerClient({
    region: "eu-west-1",
    endpoint: e.url,
    credentials: credentials as { accessKeyId: string; secretAccessKey: string },
    maxAttempts,
  });
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number | undefined }> {
  const error = (await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!error) throw new Error("expected a rejection");
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

describe("aws secrets manager emulator", () => {
  it("answers GetSecretValue by name and by ARN to a correctly signed request", async () => {
    const e = await start();
    const answer = await client(e).send(new GetSecretValueCommand({ SecretId: "pg" }));
    expect(answer.SecretString).toBe(PG);
    expect(answer.Name).toBe("pg");
    const byArn = await client(e).send(new GetSecretValueCommand({ SecretId: answer.ARN! }));
    expect(byArn.Name).toBe("pg");
    expect(e.count("GetSecretValue")).toBe(2);
  });

  it("checks the access key, the signature and the session token", async () => {
    const e = await start();
    const unknown = await failure(
      client(e, { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" }).send(
        new GetSecretValueCommand({ SecretId: "pg" }),
      ),
    );
    expect(unknown.name).toBe("UnrecognizedClientException");
    const badSecret = await failure(
      client(e, { ...KEY, secretAccessKey: "wrong" }).send(new GetSecretValueCommand({ SecretId: "pg" })),
    );
    expect(badSecret.name).toBe("InvalidSignatureException");
    const temporary = { accessKeyId: "ASIATEMPORARY0000001", secretAccessKey: "temp-secret" };
    expect((await failure(client(e, temporary).send(new GetSecretValueCommand({ SecretId: "pg" })))).name).toBe(
      "UnrecognizedClientException",
    );
    const ok = await client(e, { ...temporary, sessionToken: "session-tok" }).send(
      new GetSecretValueCommand({ SecretId: "pg" }),
    );
    expect(ok.SecretString).toBe(PG);
  });

  it("a missing secret is ResourceNotFoundException, a denied one AccessDeniedException", async () => {
    const e = await start();
    const missing = await failure(client(e).send(new GetSecretValueCommand({ SecretId: "nope" })));
    expect(missing).toMatchObject({ name: "ResourceNotFoundException", status: 400 });
    const locked = await failure(client(e).send(new GetSecretValueCommand({ SecretId: "locked" })));
    expect(locked.name).toBe("AccessDeniedException");
    expect(locked.message).toContain("secretsmanager:GetSecretValue");
  });

  it("BatchGetSecretValue answers values and per-secret errors, and records each batch", async () => {
    const e = await start();
    const answer = await client(e).send(new BatchGetSecretValueCommand({ SecretIdList: ["pg", "nope", "locked"] }));
    expect(answer.SecretValues?.map((value) => value.Name)).toEqual(["pg"]);
    expect(answer.Errors?.map((entry) => [entry.SecretId, entry.ErrorCode])).toEqual([
      ["nope", "ResourceNotFoundException"],
      ["locked", "AccessDeniedException"],
    ]);
    expect(e.batches).toEqual([["pg", "nope", "locked"]]);
    const tooMany = Array.from({ length: 21 }, (_, i) => `s${i}`);
    expect((await failure(client(e).send(new BatchGetSecretValueCommand({ SecretIdList: tooMany })))).name).toBe(
      "InvalidParameterException",
    );
  });

  it("ListSecrets filters by name prefix and pages with NextToken", async () => {
    const e = await start();
    const first = await client(e).send(
      new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["team/"] }], MaxResults: 1 }),
    );
    expect(first.SecretList?.map((secret) => secret.Name)).toEqual(["team/a"]);
    const second = await client(e).send(
      new ListSecretsCommand({
        Filters: [{ Key: "name", Values: ["team/"] }],
        MaxResults: 1,
        NextToken: first.NextToken!,
      }),
    );
    expect(second.SecretList?.map((secret) => secret.Name)).toEqual(["team/b"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("injected faults: 429 ThrottlingException and 503 are retried by the client, a reset too; 404 and 403 are not", async () => {
    const e = await start();
    e.inject({ status: 429, retryAfter: null, count: 1 });
    e.inject({ status: 503, count: 1 });
    e.inject({ reset: true, count: 1 });
    const answer = await client(e, KEY, 4).send(new GetSecretValueCommand({ SecretId: "pg" }));
    expect(answer.SecretString).toBe(PG);
    expect(e.requests.map((request) => request.status)).toEqual([429, 503, 0, 200]);
    e.inject({ status: 404, count: 1 });
    expect(await failure(client(e, KEY, 4).send(new GetSecretValueCommand({ SecretId: "pg" })))).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
    });
    e.inject({ status: 403, count: 1 });
    expect((await failure(client(e, KEY, 4).send(new GetSecretValueCommand({ SecretId: "pg" })))).name).toBe(
      "AccessDeniedException",
    );
    e.inject({ status: 429, count: Infinity, match: "ListSecrets" });
    expect((await failure(client(e).send(new ListSecretsCommand({})))).name).toBe("ThrottlingException");
    expect(e.count("total")).toBe(7);
  });
});
