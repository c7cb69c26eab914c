import path from "node:path";
import { openConnection } from "@bruin-ts/connections";
import { describe } from "vitest";
import { duckdb } from "./engines/duckdb.js";
import { contractTests } from "./test-support/engine-contract.js";
import { scratchDir } from "./test-support/tree.js";

const file = path.join(scratchDir("bruin-contract-duckdb-"), "warehouse.duckdb");
const connect = () => openConnection({ name: "db", type: "duckdb", details: { path: file } });

describe("engine contract: DuckDB (embedded)", () => {
  contractTests({
    engine: duckdb,
    namespace: "contract",
    connect,
    rows: async (sql) => {
      const adapter = await connect();
      try {
        return (await adapter.query(sql)).rows;
      } finally {
        await adapter.close();
      }
    },
    leftovers: async () => {
      const adapter = await connect();
      try {
        return (
          await adapter.query(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '\\_\\_bruin%' ESCAPE '\\'",
          )
        ).rows;
      } finally {
        await adapter.close();
      }
    },
  });
});
