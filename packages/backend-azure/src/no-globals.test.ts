/**
 * Using the Azure backend (and the Azure SDK it loads) changes nothing
 * process-wide: no global (`fetch` included), not `process.emitWarning`,
 * `process.env` or the process's listeners.
 */
import { Agent } from "node:https";
import { rootCertificates } from "node:tls";
import { processChanges, startAzureEmulator, snapshotProcess } from "@bruin-ts/secrets-emulators";
import { Redactor } from "@bruin-ts/secrets-core";
import { expect, it } from "vitest";

it("importing and using the backend leaves globals, emitWarning, env and listeners as they were", async () => {
  const emulator = await startAzureEmulator({
    seed: {
      tenant: "t",
      clients: [{ clientId: "c", clientSecret: "no-globals-secret" }],
      secrets: { pg: JSON.stringify({ type: "postgres", details: { password: "no-globals-MARKER-1" } }) },
    },
  });
  const agent = new Agent({ ca: [...rootCertificates, emulator.ca!] });
  const before = snapshotProcess();
  const { createAzureBackend } = await import("./index.js");
  const backend = createAzureBackend(
    {
      env: {
        BRUIN_AZURE_KEYVAULT_URL: emulator.url,
        BRUIN_AZURE_AUTH_METHOD: "client_credentials",
        BRUIN_AZURE_TENANT_ID: "t",
        BRUIN_AZURE_CLIENT_ID: "c",
        BRUIN_AZURE_CLIENT_SECRET: "no-globals-secret",
        BRUIN_AZURE_AUTHORITY_HOST: emulator.url,
      },
      redactor: new Redactor(),
      cwd: "/",
    },
    { agent },
  );
  expect((await backend.get("pg")).type).toBe("postgres");
  expect(await backend.list()).toEqual(["pg"]);
  await backend.close();
  agent.destroy();
  await emulator.stop();
  expect(processChanges(before, snapshotProcess())).toEqual([]);
});
