/**
 * Using the Doppler backend (plain `fetch`) changes
 * nothing process-wide: no global (`fetch` included), not
 * `process.emitWarning`, `process.env` or the process's listeners.
 */
import { startDopplerEmulator } from "@bruin-ts/secrets-emulators";
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
  const emulator = await startDopplerEmulator({
    seed: {
      tokens: { "dp.st.x": { project: "p", config: "c" } },
      projects: { p: { c: { PG: '{"type":"postgres","details":{"password":"no-globals-MARKER-1"}}' } } },
    },
  });
  const before = snapshot();
  const { createDopplerBackend } = await import("./index.js");
  const backend = createDopplerBackend({
    env: {
      BRUIN_DOPPLER_TOKEN: "dp.st.x",
      BRUIN_DOPPLER_PROJECT: "p",
      BRUIN_DOPPLER_CONFIG: "c",
      BRUIN_DOPPLER_API_URL: emulator.url,
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
