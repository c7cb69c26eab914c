// Child process of lazy-loading.test.ts: opens connections of the types named
// on the command line through the package's public entry point, then exits.
import { openConnection, validateConnection } from "../index.ts";

const examples = {
  duckdb: { path: ":memory:" },
  postgres: { host: "127.0.0.1", port: 1, username: "u", database: "d" },
  mysql: { host: "127.0.0.1", port: 1, username: "u", database: "d" },
};

for (const type of process.argv.slice(2)) {
  const connection = await openConnection(validateConnection({ name: type, type, details: examples[type] }));
  if (type === "duckdb") await connection.query("SELECT 1");
  await connection.close();
}
