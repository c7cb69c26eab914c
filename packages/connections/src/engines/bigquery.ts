import type { ConnectionEngine } from "./engine.js";
import { ansiDialect } from "./ansi.js";

export const bigquery: ConnectionEngine = {
  type: "google_cloud_platform",
  dialect: ansiDialect("bigquery", { quotes: ["`", "`"], transactionalDdl: false, sqlGrammar: "bigquery" }),
  sql: true,
  driver: "@google-cloud/bigquery",
  open: async (connection) => (await import("../adapters/bigquery.js")).openBigQuery(connection),
};
