import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

export const databricks: ConnectionEngine = {
  type: "databricks",
  dialect: ansiDialect("databricks", { quotes: ["`", "`"], transactionalDdl: false, sqlGrammar: "hive" }),
  sql: true,
  driver: "@databricks/sql",
  open: async (connection, options) => (await import("../adapters/databricks.js")).openDatabricks(connection, options),
};
