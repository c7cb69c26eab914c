/**
 * Using the AWS backend (the SDK over node:https) changes nothing
 * process-wide: no global (`fetch` included), not `process.emitWarning`,
 * `process.env` or the process's listeners. One exception is the SDK's own:
 * its `@aws/lambda-invoke-store` defines `globalThis.awslambda` when it loads
 * unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA is set (the CLI sets it in
 * bin.ts, as a library may not); nothing else is added or replaced.
 */
import { startAwsSecretsManagerEmulator } from "@bruin-ts/secrets-emulators";
import { Redactor } from "@bruin-ts/secrets-core";
import { expect, it } from "vitest";

function snapshot() {
  return {
    globals: new Map(
      Object.getOwnPropertyNames(globalThis).map((name) => [name, (globalThis as Record<string, unknown>)[name]]),
    ),
    fetch: globalThis.fetch,
    emitWarning: process.emitWarning,
    env: { ...process.env },
    listeners: new Map(process.eventNames().map((event) => [event, [...process.listeners(event as NodeJS.Signals)]])),
  };
}

it("importing and using the backend leaves globals, emitWarning, env and listeners as they were", async () => {
  const emulator = await startAwsSecretsManagerEmulator({
    seed: {
      credentials: [{ accessKeyId: "AKIANOGLOBALS", secretAccessKey: "no-globals-secret" }],
      secrets: { pg: '{"type":"postgres","details":{"password":"no-globals-MARKER-1"}}' },
    },
  });
  const before = snapshot();
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
  const after = snapshot();
  const added = [...after.globals.keys()].filter((name) => !before.globals.has(name));
  expect(added.filter((name) => name !== "awslambda")).toEqual([]);
  for (const [name, value] of before.globals) expect(after.globals.get(name), name).toBe(value);
  expect(after.fetch).toBe(before.fetch);
  expect(after.emitWarning).toBe(before.emitWarning);
  expect(after.env).toEqual(before.env);
  expect(after.listeners).toEqual(before.listeners);
});
