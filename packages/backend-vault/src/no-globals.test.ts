/**
 * Using the Vault backend (plain `fetch`) changes
 * nothing process-wide: no global (`fetch` included), not
 * `process.emitWarning`, `process.env` or the process's listeners.
 */
import { processChanges, startVaultEmulator, snapshotProcess } from "@bruin-ts/secrets-emulators";
import { Redactor } from "@bruin-ts/secrets-core";
import { expect, it } from "vitest";

it("importing and using the backend leaves globals, emitWarning, env and listeners as they were", async () => {
  const emulator = await startVaultEmulator({
    seed: {
      tokens: [{ token: "hvs.x" }],
      mounts: { secret: { "bruin/pg": { type: "postgres", details: { password: "no-globals-MARKER-1" } } } },
    },
  });
  const before = snapshotProcess();
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
  expect(processChanges(before, snapshotProcess())).toEqual([]);
});
