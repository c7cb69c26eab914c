import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

export const snowflake: ConnectionEngine = {
  type: "snowflake",
  dialect: ansiDialect("snowflake", { transactionalDdl: false, sqlGrammar: "snowflake" }),
  sql: true,
  driver: "snowflake-sdk",
  open: async (connection, options) => (await import("../adapters/snowflake.js")).openSnowflake(connection, options),
};
