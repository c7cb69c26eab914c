/**
 * Using the Vault backend (plain `fetch`) changes
 * nothing process-wide: no global (`fetch` included), not
 * `process.emitWarning`, `process.env` or the process's listeners.
 */
import { startVaultEmulator } from "@bruin-ts/secrets-emulators";
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
  const emulator = await startVaultEmulator({
    seed: {
      tokens: [{ token: "hvs.x" }],
      mounts: { secret: { "bruin/pg": { type: "postgres", details: { password: "no-globals-MARKER-1" } } } },
    },
  });
  const before = snapshot();
  const { createVaultBackend } = await import("./index.js");
  const backend = createVaultBackend({
    env: {
      BRUIN_VAULT_HOST: emulator.url,
      BRUIN_VAULT_TOKEN: "hvs.x",
      BRUIN_VAULT_MOUNT_PATH: "secret",
      BRUIN_VAULT_PATH: "bruin",
    },
    redactor: new Redactor(),
    cwd: "/",
  });
  expect((await backend.get("pg")).type).toBe("postgres");
  await backend.close();
  await emulator.stop();
  const after = snapshot();
  expect([...after.globals.keys()].filter((name) => !before.globals.has(name))).toEqual([]);
  for (const [name, value] of before.globals) expect(after.globals.get(name), name).toBe(value);
  expect(after.fetch).toBe(before.fetch);
  expect(after.emitWarning).toBe(before.emitWarning);
  expect(after.env).toEqual(before.env);
  expect(after.listeners).toEqual(before.listeners);
});
