import path from "node:path";
import { openConnection } from "@bruin-ts/connections";
import { describe } from "vitest";
import { strategyWorkflowTests } from "./test-support/strategy-workflows.js";
import { scratchDir } from "./test-support/tree.js";

const file = path.join(scratchDir("bruin-workflows-"), "warehouse.duckdb");
const connect = () => openConnection({ name: "db", type: "duckdb", details: { path: file } });

describe("time_interval and SCD2 workflows on DuckDB", () => {
  strategyWorkflowTests({
    assetType: "duckdb.sql",
    platform: "duckdb",
    dataVault: true,
    namespace: "wf",
    connect,
    rows: async (sql) => {
      const adapter = await connect();
      try {
        await adapter.exec("SET TimeZone = 'UTC'");
        return (await adapter.query(sql)).rows;
      } finally {
        await adapter.close();
      }
    },
  });
});
