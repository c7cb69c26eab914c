// The baseline of the scale bench: the statements of a run, executed one
// after another on one connection through @duckdb/node-api.
//   node duckdb-direct.mjs <statements.json> <database file>
import { readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [statementsFile, databaseFile] = process.argv.slice(2);
const statements = JSON.parse(readFileSync(statementsFile, "utf8"));
const instance = await DuckDBInstance.create(databaseFile);
const connection = await instance.connect();
for (const statement of statements) await connection.run(statement);
connection.closeSync();
instance.closeSync();
