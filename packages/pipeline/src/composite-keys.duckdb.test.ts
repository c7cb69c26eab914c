import { describe } from "vitest";
import { compositeKeyTests } from "./test-support/composite-keys.js";
import { DuckDBPipeline } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

describe("keys of two columns on DuckDB", () => {
  const pipeline = new DuckDBPipeline();
  compositeKeyTests({
    table: (i) => `mart.composite_${i}`,
    run: (table, header, query, options) =>
      pipeline.write({ "assets/t.sql": sqlAsset(`name: ${table}\ntype: duckdb.sql\n${header}`, query) }).run(options),
    rows: (sql) => pipeline.rows(sql),
  });
});
