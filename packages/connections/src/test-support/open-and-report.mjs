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
