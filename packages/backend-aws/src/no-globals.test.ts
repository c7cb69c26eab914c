/**
 * Using the AWS backend (the SDK over node:https) changes nothing
 * process-wide: no global (`fetch` included), not `process.emitWarning`,
 * `process.env` or the process's listeners. One exception is the SDK's own:
 * its `@aws/lambda-invoke-store` defines `globalThis.awslambda` when it loads
 * unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is set (the CLI sets it in
 * bin.ts, as a library may not); nothing else is added or replaced.
 */
import { processChanges, startAwsSecretsManagerEmulator, snapshotProcess } from "@bruin-ts/secrets-emulators";
import { Redactor } from "@bruin-ts/secrets-core";
import { expect, it } from "vitest";

it("importing and using the backend leaves globals, emitWarning, env and listeners as they were", async () => {
  const emulator = await startAwsSecretsManagerEmulator({
    seed: {
      credentials: [{ accessKeyId: "AKIANOGLOBALS", secretAccessKey: "no-globals-secret" }],
      secrets: { pg: '{"type":"postgres","details":{"password":"no-globals-MARKER-1"}}' },
    },
  });
  const before = snapshotProcess();
  const { createAwsBackend } = await import("./index.js");
  const backend = createAwsBackend({
    env: {
      BRUIN_AWS_ACCESS_KEY_ID: "AKIANOGLOBALS",
      BRUIN_AWS_SECRET_ACCESS_KEY: "no-globals-secret",
      BRUIN_AWS_REGION: "us-east-1",
      BRUIN_AWS_ENDPOINT_URL: emulator.url,
    },
    redactor: new Redactor(),
    cwd: "/",
  });
  expect((await backend.get("pg")).type).toBe("postgres");
  expect(await backend.list()).toEqual(["pg"]);
  await backend.close();
  await emulator.stop();
  expect(processChanges(before, snapshotProcess(), { allowAdded: ["awslambda"] })).toEqual([]);
});
