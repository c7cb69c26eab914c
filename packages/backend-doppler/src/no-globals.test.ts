/**
 * Using the Doppler backend (plain `fetch`) changes
 * nothing process-wide: no global (`fetch` included), not
 * `process.emitWarning`, `process.env` or the process's listeners.
 */
import { processChanges, startDopplerEmulator, snapshotProcess } from "@bruin-ts/secrets-emulators";
import { Redactor } from "@bruin-ts/secrets-core";
import { expect, it } from "vitest";

it("importing and using the backend leaves globals, emitWarning, env and listeners as they were", async () => {
  const emulator = await startDopplerEmulator({
    seed: {
      tokens: { "dp.st.x": { project: "p", config: "c" } },
      projects: { p: { c: { PG: '{"type":"postgres","details":{"password":"no-globals-MARKER-1"}}' } } },
    },
  });
  const before = snapshotProcess();
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
  expect(processChanges(before, snapshotProcess())).toEqual([]);
});
