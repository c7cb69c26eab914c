// What a run loads: the packages a DuckDB-only `bruin run` takes from
// node_modules, checked against the drivers and SDKs it must leave alone;
// and, to show the tracing sees them, the same run through Infisical.
import path from "node:path";
import { startEmulator } from "@bruin-ts/infisical-emulator";
import { CLI, QUICKSTART } from "./paths.mjs";
import { packageOf, runNodeOk } from "./processes.mjs";

/** Packages a DuckDB-only run must not load (first the other drivers, then the Infisical SDK). */
export const FORBIDDEN = [
  "pg",
  "mysql2",
  "mssql",
  "tedious",
  "mongodb",
  "snowflake-sdk",
  "@google-cloud/bigquery",
  "@databricks/sql",
  "@infisical/sdk",
];

/** Package name → number of files loaded from it, most files first. */
export function loadedPackages(files) {
  const counts = new Map();
  for (const file of files) {
    const name = packageOf(file);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function describe(packages) {
  return [...packages].map(([name, files]) => `${name} (${files})`).join(", ");
}

export async function benchLoadedModules() {
  const fileRun = await runNodeOk([CLI, "run", "--no-color", QUICKSTART], { traceModules: true });
  const filePackages = loadedPackages(fileRun.modules);
  const forbidden = FORBIDDEN.filter((name) => filePackages.has(name));

  const infisicalPackages = await tracedInfisicalRun();
  return {
    rows: [
      {
        figure: "duckdb-only run: other drivers / SDK loaded",
        value: forbidden.length === 0 ? "none" : forbidden.join(", "),
        target: "none",
        met: forbidden.length === 0,
      },
      {
        figure: "same run, --secrets-backend infisical",
        value: infisicalPackages.has("@infisical/sdk") ? "@infisical/sdk loaded" : "@infisical/sdk NOT seen",
        target: "SDK loaded",
        met: infisicalPackages.has("@infisical/sdk"),
      },
    ],
    notes: [`Packages a DuckDB-only run loads from node_modules (files): ${describe(filePackages)}.`],
  };
}

async function tracedInfisicalRun() {
  const identity = { clientId: "bench-modules-client", clientSecret: "bench-modules-secret-value" };
  const database = path.join(QUICKSTART, "data", "quickstart-bench-infisical.duckdb");
  const emulator = await startEmulator({
    seed: {
      identities: [{ ...identity, projects: ["bench"] }],
      projects: {
        bench: {
          environments: {
            dev: {
              "/": {
                "duckdb-default": JSON.stringify({ type: "duckdb", details: { path: database } }),
                rates_api_key: JSON.stringify({ type: "generic", details: { value: "bench-rates-key" } }),
              },
            },
          },
        },
      },
    },
  });
  try {
    const run = await runNodeOk([CLI, "run", "--no-color", "--secrets-backend", "infisical", QUICKSTART], {
      traceModules: true,
      env: {
        ...process.env,
        BRUIN_INFISICAL_HOST: emulator.url,
        BRUIN_INFISICAL_CLIENT_ID: identity.clientId,
        BRUIN_INFISICAL_CLIENT_SECRET: identity.clientSecret,
        BRUIN_INFISICAL_PROJECT_ID: "bench",
        BRUIN_INFISICAL_ENVIRONMENT: "dev",
      },
    });
    return loadedPackages(run.modules);
  } finally {
    await emulator.stop();
  }
}
