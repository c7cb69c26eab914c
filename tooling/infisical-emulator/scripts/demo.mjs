#!/usr/bin/env node
// Starts the emulator seeded with the quick start's connections and runs
// `bruin run --secrets-backend infisical examples/quickstart` against it.
// Needs a build first (`pnpm build`); the root script `pnpm demo:infisical` does both.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../dist/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const quickstart = path.join(root, "examples", "quickstart");

const identity = { clientId: "demo-client-id", clientSecret: "demo-client-secret-value" };
const emulator = await startEmulator({
  seed: {
    identities: [{ ...identity, projects: ["demo-project"] }],
    projects: {
      "demo-project": {
        environments: {
          dev: {
            "/": {
              "duckdb-default": JSON.stringify({
                type: "duckdb",
                details: { path: path.join(quickstart, "data", "quickstart-infisical.duckdb") },
              }),
              // The Python asset raw.exchange_rates reads this one, here from Infisical instead of .bruin.yml.
              rates_api_key: JSON.stringify({ type: "generic", details: { value: "rates-key-from-infisical" } }),
            },
          },
        },
      },
    },
  },
});
console.log(`Infisical emulator listening on ${emulator.url}\n`);

const child = spawn(
  process.execPath,
  [path.join(root, "apps", "cli", "dist", "bin.js"), "run", "--secrets-backend", "infisical", quickstart],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      BRUIN_INFISICAL_HOST: emulator.url,
      BRUIN_INFISICAL_CLIENT_ID: identity.clientId,
      BRUIN_INFISICAL_CLIENT_SECRET: identity.clientSecret,
      BRUIN_INFISICAL_PROJECT_ID: "demo-project",
      BRUIN_INFISICAL_ENVIRONMENT: "dev",
    },
  },
);
const code = await new Promise((resolve) => child.on("exit", (status) => resolve(status ?? 1)));
const { login, getSecret } = emulator.counters;
console.log(`\nInfisical requests: ${login} login, ${getSecret} secret read(s)`);
await emulator.stop();
process.exit(code);
