// Child process of lazy-loading.test.ts: opens connections of the types named
// on the command line through the package's public entry point, then exits.
import { openConnection, validateConnection } from "../index.ts";

const examples = {
  duckdb: { path: ":memory:" },
  postgres: { host: "127.0.0.1", port: 1, username: "u", database: "d" },
  mysql: { host: "127.0.0.1", port: 1, username: "u", database: "d" },
  mssql: { host: "127.0.0.1", port: 1, username: "u", database: "d" },
  snowflake: { account: "acme", username: "u", password: "p" },
  google_cloud_platform: { project_id: "p", use_application_default_credentials: true },
  databricks: { host: "127.0.0.1", port: 1, path: "/p", token: "t" },
  mongodb: { host: "127.0.0.1", port: 1 },
};

for (const type of process.argv.slice(2)) {
  const connection = await openConnection(validateConnection({ name: type, type, details: examples[type] }));
  if (type === "duckdb") await connection.query("SELECT 1");
  await connection.close();
}

// Modules loaded with require (the DuckDB driver is) pass no import hook: they are listed from require's cache.
const { createRequire } = await import("node:module");
const { appendFileSync } = await import("node:fs");
const required = Object.keys(createRequire(import.meta.url).cache).map((file) => `file://${file}`);
if (process.env.BRUIN_LOADED_MODULES_LOG && required.length > 0) {
  appendFileSync(process.env.BRUIN_LOADED_MODULES_LOG, `${required.join("\n")}\n`);
}
