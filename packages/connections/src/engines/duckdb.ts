import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

export const duckdb: ConnectionEngine = {
  type: "duckdb",
  dialect: ansiDialect("duckdb", { sqlGrammar: "postgresql" }),
  sql: true,
  driver: "@duckdb/node-api",
  locksFile: true,
  open: async (connection, options) => (await import("../adapters/duckdb.js")).openDuckDB(connection, options),
};
