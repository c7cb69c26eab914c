import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

export const mysql: ConnectionEngine = {
  type: "mysql",
  // MySQL's "schema" is a database; a dotted name still quotes as `db`.`table`.
  dialect: ansiDialect("mysql", {
    quotes: ["`", "`"],
    transactionalDdl: false,
    supportsSchemas: false,
    sqlGrammar: "mysql",
  }),
  sql: true,
  driver: "mysql2",
  open: async (connection) => (await import("../adapters/mysql.js")).openMySQL(connection),
};
