import { describe, expect, it } from "vitest";
import { loadPipeline } from "./load.js";
import { validatePipeline } from "./validate.js";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

const customers = sqlAsset(
  "name: customers\ntype: duckdb.sql\nmaterialization: {type: table}",
  "SELECT * FROM (VALUES (1), (2), (3)) t(id)",
);
const orders = (rows: string, extra = "") =>
  sqlAsset(
    [
      "name: orders",
      "type: duckdb.sql",
      "depends: [customers]",
      "materialization: {type: table}",
      "columns:",
      "  - name: customer_id",
      "    foreign_key: {table: customers, column: id}",
      "    checks: [{name: relationships}]",
      extra,
    ].join("\n"),
    `SELECT * FROM (VALUES ${rows}) t(order_id, customer_id)`,
  );

describe("the relationships column check on DuckDB", () => {
  it("passes when every non-null value exists in the parent column (nulls are ignored)", async () => {
    const p = new DuckDBPipeline().write({
      "assets/customers.sql": customers,
      "assets/orders.sql": orders("(10, 1), (11, 3), (12, NULL)"),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      customers: "succeeded",
      orders: "succeeded",
      "orders:customer_id:relationships": "succeeded",
    });
  });

  it("fails with the number of child rows whose value the parent lacks, and no values", async () => {
    const p = new DuckDBPipeline().write({
      "assets/customers.sql": customers,
      "assets/orders.sql": orders("(10, 1), (11, 7), (12, 9), (13, 9)"),
    });
    const result = await p.run();
    expect(errorOf(result, "orders:customer_id:relationships")).toBe(
      "check 'relationships' on column 'customer_id' of 'orders' failed: 3 rows",
    );
  });

  it("needs foreign_key on its column (a load problem naming the file)", async () => {
    const p = new DuckDBPipeline().write({
      "assets/orders.sql": sqlAsset(
        "name: orders\ntype: duckdb.sql\ncolumns:\n  - name: customer_id\n    checks: [relationships]",
        "SELECT 1 AS customer_id",
      ),
    });
    const { issues } = await loadPipeline(p.root, { collectIssues: true });
    expect(issues).toEqual([
      expect.stringMatching(
        /^asset 'orders' \(.*assets\/orders\.sql\): column 'customer_id': the 'relationships' check needs 'foreign_key: \{table, column\}' on the column$/,
      ),
    ]);
  });

  it("is refused by validate when foreign_key names no asset of the pipeline", async () => {
    const p = new DuckDBPipeline().write({ "assets/orders.sql": orders("(10, 1)") });
    const { pipeline } = await loadPipeline(p.root, { collectIssues: true });
    const { issues } = await validatePipeline(pipeline, pipeline.assets);
    expect(issues).toContainEqual(
      expect.stringMatching(
        /^asset 'orders' \(.*assets\/orders\.sql\): column 'customer_id': foreign_key table 'customers' is not an asset of the pipeline$/,
      ),
    );
  });
});

describe("custom checks with count on DuckDB", () => {
  const withChecks = (checks: string) =>
    sqlAsset(
      `name: items\ntype: duckdb.sql\nmaterialization: {type: table}\ncustom_checks:\n${checks}`,
      "SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'b')) t(id, kind)",
    );

  it("compare the number of rows the query returns, while value compares its single result", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": withChecks(
        [
          "  - name: two bs",
          "    query: SELECT * FROM items WHERE kind = 'b';",
          "    count: 2",
          "  - name: no zs",
          "    query: SELECT * FROM items WHERE kind = 'z'",
          "    count: 0",
          "  - name: wrong count",
          "    query: SELECT id FROM items",
          "    count: 1",
          "  - name: three rows",
          "    query: SELECT count(*) FROM items",
          "    value: 3",
        ].join("\n"),
      ),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      items: "succeeded",
      "items:custom-check:two_bs": "succeeded",
      "items:custom-check:no_zs": "succeeded",
      "items:custom-check:wrong_count": "failed",
      "items:custom-check:three_rows": "succeeded",
    });
    expect(errorOf(result, "items:custom-check:wrong_count")).toBe(
      "custom check 'wrong count' of 'items' failed: the query returned 3 rows, expected 1",
    );
  });

  it("compare the count alone when a value is given too, as the reference's pipelines do", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": withChecks(
        ["  - name: row_count", "    value: 0", "    count: 3", "    query: SELECT * FROM items"].join("\n"),
      ),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ items: "succeeded", "items:custom-check:row_count": "succeeded" });
  });

  it("take count as a whole number", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": withChecks(["  - name: fraction", "    query: SELECT 1", "    count: 1.5"].join("\n")),
    });
    const { issues } = await loadPipeline(p.root, { collectIssues: true });
    expect(issues).toEqual([
      expect.stringMatching(
        /\(.*assets\/items\.sql\): custom check 'fraction': 'count' must be a whole number of rows \(0 or more\)$/,
      ),
    ]);
  });
});
