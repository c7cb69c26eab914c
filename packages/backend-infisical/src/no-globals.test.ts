/**
 * Importing and using the backend, as its README shows, changes nothing
 * process-wide: not `globalThis.fetch` nor any other global, not
 * `require.cache` beyond the modules really loaded, not
 * `process.emitWarning`, `process.env` or the process's listeners.
 *
 * One exception is not ours to remove: loading `@infisical/sdk` 5.0.2 itself
 * adds globals through its dependencies (tslib's CommonJS build defines
 * `__extends`, `__awaiter`... on the global object; the AWS SDK defines
 * `awslambda`). They are measured in a separate plain Node process that only
 * imports the SDK, and the backend may add nothing beyond them.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Redactor } from "@bruin-ts/secrets-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { baseEnv, BATCH_NAMES, withEmulator } from "./test-support/fixtures.js";

const require = createRequire(import.meta.url);

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(() => emulator.stop());

/** The globals a plain `import("@infisical/sdk")` adds, in a fresh Node process. */
function globalsTheSdkAdds(): string[] {
  const script =
    "const before = new Set(Object.getOwnPropertyNames(globalThis)); await import('@infisical/sdk');" +
    "console.log(JSON.stringify(Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name))));";
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  return JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd, env, encoding: "utf8" }),
  ) as string[];
}

function snapshot() {
  const globals = Object.getOwnPropertyNames(globalThis);
  return {
    // Read through the getters: Node defines some globals lazily (DOMException, Response...), materialised on first read.
    globals: new Map(globals.map((name) => [name, (globalThis as Record<string, unknown>)[name]])),
    fetch: globalThis.fetch,
    promise: globalThis.Promise,
    emitWarning: process.emitWarning,
    env: { ...process.env },
    listeners: new Map(process.eventNames().map((event) => [event, [...process.listeners(event as NodeJS.Signals)]])),
    cache: new Set(Object.keys(require.cache)),
  };
}

it("leaves globals, require.cache, emitWarning, env and listeners as they were", async () => {
  const before = snapshot();
  const { createInfisicalBackend } = await import("./index.js");
  const redactor = new Redactor();
  const backend = createInfisicalBackend({
    env: baseEnv(emulator, { BRUIN_INFISICAL_SECRET_PATH: "/batch" }),
    redactor,
    cwd: process.cwd(),
  });
  // Single reads and a folder listing, then close.
  expect((await backend.get("batch-1"))?.type).toBe("postgres");
  const many = await Promise.all(BATCH_NAMES.slice(0, 6).map((name) => backend.get(name)));
  expect(many.map((secret) => secret?.name)).toEqual(BATCH_NAMES.slice(0, 6));
  expect(await backend.list()).toContain("batch-8");
  await backend.close();
  const after = snapshot();

  expect(globalThis.fetch).toBe(before.fetch);
  expect(globalThis.Promise).toBe(before.promise);
  for (const [name, value] of before.globals) {
    expect((globalThis as Record<string, unknown>)[name], name).toBe(value);
  }
  const added = Object.getOwnPropertyNames(globalThis).filter((name) => !before.globals.has(name));
  const sdkOwn = globalsTheSdkAdds();
  expect(added.filter((name) => !sdkOwn.includes(name))).toEqual([]);
  expect(process.emitWarning).toBe(before.emitWarning);
  expect(process.env).toEqual(before.env);
  expect(process.eventNames()).toEqual([...before.listeners.keys()]);
  for (const [event, listeners] of before.listeners)
    expect(process.listeners(event as NodeJS.Signals)).toEqual(listeners);
  // New require.cache entries are real modules loaded from disk (the SDK's CommonJS dependencies), never stand-ins.
  for (const file of Object.keys(require.cache).filter((key) => !before.cache.has(key))) {
    const entry = require.cache[file]!;
    expect(entry.filename).toBe(file);
    expect(existsSync(file)).toBe(true);
    expect(entry.loaded).toBe(true);
  }
  expect(emulator.counters).toMatchObject({ login: 1, getSecret: 1, listSecrets: 2 });
});
