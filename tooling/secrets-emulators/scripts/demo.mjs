#!/usr/bin/env node
// `node scripts/demo.mjs vault|doppler|aws|azure`: starts that emulator seeded with the quick start's
// connection and runs `bruin run --secrets-backend <backend> examples/quickstart` against it.
// Needs a build first (`pnpm build`); the root scripts `pnpm demo:vault`, `pnpm demo:doppler`, `pnpm demo:aws` and
// `pnpm demo:azure` do both. The Azure emulator serves HTTPS with a throwaway CA, which bruin is told to trust
// through NODE_EXTRA_CA_CERTS.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  startAwsSecretsManagerEmulator,
  startAzureEmulator,
  startDopplerEmulator,
  startVaultEmulator,
} from "../dist/index.js";

const backend = process.argv[2];
if (!["vault", "doppler", "aws", "azure"].includes(backend)) {
  console.error("usage: demo.mjs vault|doppler|aws|azure");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const quickstart = path.join(root, "examples", "quickstart");
const connection = { type: "duckdb", details: { path: path.join(quickstart, "data", `quickstart-${backend}.duckdb`) } };
// The Python asset raw.exchange_rates reads this `generic` connection.
const ratesKey = { type: "generic", details: { value: `rates-key-from-${backend}` } };

let emulator;
let env;
if (backend === "vault") {
  const token = "hvs.demo-vault-token";
  emulator = await startVaultEmulator({
    seed: {
      tokens: [{ token }],
      mounts: { secret: { "bruin/duckdb-default": connection, "bruin/rates_api_key": ratesKey } },
    },
  });
  env = {
    BRUIN_VAULT_HOST: emulator.url,
    BRUIN_VAULT_TOKEN: token,
    BRUIN_VAULT_MOUNT_PATH: "secret",
    BRUIN_VAULT_PATH: "bruin",
  };
} else if (backend === "aws") {
  const credentials = { accessKeyId: "AKIADEMO000000000001", secretAccessKey: "demo-aws-secret-access-key" };
  emulator = await startAwsSecretsManagerEmulator({
    seed: {
      credentials: [credentials],
      secrets: { "duckdb-default": JSON.stringify(connection), rates_api_key: JSON.stringify(ratesKey) },
      region: "eu-west-1",
    },
  });
  env = {
    BRUIN_AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    BRUIN_AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    BRUIN_AWS_REGION: "eu-west-1",
    BRUIN_AWS_ENDPOINT_URL: emulator.url,
  };
} else if (backend === "azure") {
  const clientSecret = "demo-azure-client-secret";
  emulator = await startAzureEmulator({
    seed: {
      tenant: "demo-tenant",
      clients: [{ clientId: "demo-app", clientSecret }],
      // Key Vault names have no `_`: the connection rates_api_key is read from the secret rates-api-key.
      secrets: { "duckdb-default": JSON.stringify(connection), "rates-api-key": JSON.stringify(ratesKey) },
    },
  });
  env = {
    NODE_EXTRA_CA_CERTS: emulator.caFile,
    BRUIN_AZURE_KEYVAULT_URL: emulator.url,
    BRUIN_AZURE_AUTH_METHOD: "client_credentials",
    BRUIN_AZURE_TENANT_ID: "demo-tenant",
    BRUIN_AZURE_CLIENT_ID: "demo-app",
    BRUIN_AZURE_CLIENT_SECRET: clientSecret,
    // The emulator is the authority too: no request leaves the machine.
    BRUIN_AZURE_AUTHORITY_HOST: emulator.url,
  };
} else {
  const token = "dp.st.demo-doppler-token";
  emulator = await startDopplerEmulator({
    seed: {
      tokens: { [token]: { project: "demo", config: "dev" } },
      projects: {
        demo: { dev: { DUCKDB_DEFAULT: JSON.stringify(connection), RATES_API_KEY: JSON.stringify(ratesKey) } },
      },
    },
  });
  env = {
    BRUIN_DOPPLER_TOKEN: token,
    BRUIN_DOPPLER_PROJECT: "demo",
    BRUIN_DOPPLER_CONFIG: "dev",
    BRUIN_DOPPLER_API_URL: emulator.url,
  };
}
console.log(`${backend} emulator listening on ${emulator.url}\n`);

const child = spawn(
  process.execPath,
  [path.join(root, "apps", "cli", "dist", "bin.js"), "run", "--secrets-backend", backend, quickstart],
  {
    stdio: "inherit",
    env: { ...process.env, ...env },
  },
);
const code = await new Promise((resolve) => child.on("exit", (status) => resolve(status ?? 1)));
const requests = emulator.requests.map((request) => `${request.route} ${request.status}`);
console.log(`\n${backend} requests: ${requests.length} (${requests.join(", ")})`);
await emulator.stop();
process.exit(code);
