import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

export const mssql: ConnectionEngine = {
  type: "mssql",
  dialect: ansiDialect("mssql", {
    quotes: ["[", "]"],
    sqlGrammar: "transactsql",
    // SQL Server has no LIMIT.
    limitRows: (query, limit) => `SELECT TOP ${limit} * FROM (${query}) AS bruin_query`,
  }),
  sql: true,
  driver: "mssql",
  open: async (connection, options) => (await import("../adapters/mssql.js")).openMSSQL(connection, options),
};
