import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

/** Redshift speaks the PostgreSQL protocol: the PostgreSQL adapter opens it. */
export const redshift: ConnectionEngine = {
  type: "redshift",
  dialect: ansiDialect("redshift", { sqlGrammar: "redshift" }),
  sql: true,
  driver: "pg",
  open: async (connection) => (await import("../adapters/postgres.js")).openPostgres(connection),
};
