import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

export const postgres: ConnectionEngine = {
  type: "postgres",
  dialect: ansiDialect("postgres", { sqlGrammar: "postgresql" }),
  sql: true,
  driver: "pg",
  open: async (connection) => (await import("../adapters/postgres.js")).openPostgres(connection),
};
