import { describe, expect, it } from "vitest";
import { openConnection } from "@bruin-ts/connections";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import { runPipeline } from "./run.js";
import { DAY, DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

const ROWS =
  "SELECT * FROM (VALUES (1, 5, -1, 'a-1', 'NL'), (2, 7, -3, 'b-22', 'DE'), (3, 0, 0, NULL, 'FR')) t(id, qty, delta, code, country)";

function tableWithChecks(checks: string): string {
  return sqlAsset(`name: items\ntype: duckdb.sql\nmaterialization: {type: table}\ncolumns:\n${checks}`, ROWS);
}

describe("column checks on DuckDB", () => {
  it("pass when no row violates them", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": tableWithChecks(
        [
          "  - name: id",
          "    checks: [{name: not_null}, {name: unique}, {name: positive}, {name: min, value: 1}, {name: max, value: 3}]",
          "  - name: qty",
          "    checks: [{name: non_negative}, {name: accepted_values, value: [0, 5, 7]}]",
          "  - name: delta",
          "    checks: [{name: max, value: 0}]",
          "  - name: code",
          "    checks: [{name: pattern, value: '[a-z]-\\d+'}]",
          "  - name: country",
          "    checks: [{name: accepted_values, value: [NL, DE, FR]}]",
        ].join("\n"),
      ),
    });
    const result = await p.run();
    expect(result.tasks.filter((t) => t.status !== "succeeded").map((t) => [t.task.id, t.error])).toEqual([]);
    expect(result.tasks).toHaveLength(11);
    expect(result.ok).toBe(true);
  });

  it("fail with the number of violating rows and no row values", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": tableWithChecks(
        [
          "  - name: code",
          "    checks: [{name: not_null}, {name: pattern, value: '[a-z]-\\d'}]",
          "  - name: qty",
          "    checks: [{name: positive}, {name: min, value: 6}, {name: max, value: 5}, {name: accepted_values, value: [5]}]",
          "  - name: delta",
          "    checks: [{name: negative}, {name: non_negative}]",
          "  - name: country",
          "    checks: [{name: accepted_values, value: [NL]}]",
          "  - name: dup",
          "    checks: [{name: unique}]",
        ].join("\n"),
      ).replace(ROWS, ROWS.replace("SELECT *", "SELECT *, id % 2 AS dup")),
    });
    const result = await p.run();
    const failures = Object.fromEntries(
      result.tasks.filter((t) => t.status === "failed").map((t) => [t.task.id, t.error]),
    );
    expect(failures).toEqual({
      "items:code:not_null": "check 'not_null' on column 'code' of 'items' failed: 1 row",
      "items:code:pattern": "check 'pattern' on column 'code' of 'items' failed: 1 row",
      "items:qty:positive": "check 'positive' on column 'qty' of 'items' failed: 1 row",
      "items:qty:min": "check 'min' on column 'qty' of 'items' failed: 2 rows",
      "items:qty:max": "check 'max' on column 'qty' of 'items' failed: 1 row",
      "items:qty:accepted_values": "check 'accepted_values' on column 'qty' of 'items' failed: 2 rows",
      "items:delta:negative": "check 'negative' on column 'delta' of 'items' failed: 1 row",
      "items:delta:non_negative": "check 'non_negative' on column 'delta' of 'items' failed: 2 rows",
      "items:country:accepted_values": "check 'accepted_values' on column 'country' of 'items' failed: 2 rows",
      "items:dup:unique": "check 'unique' on column 'dup' of 'items' failed: 1 row",
    });
    expect(Object.values(failures).join("\n")).not.toMatch(/b-22|DE|FR/);
    expect(statuses(result).items).toBe("succeeded");
    expect(result.ok).toBe(false);
  });
});

describe("custom checks and blocking on DuckDB", () => {
  const base = "name: base\ntype: duckdb.sql\nmaterialization: {type: table}";
  const downstream = sqlAsset(
    "name: after\ntype: duckdb.sql\ndepends: [base]\nmaterialization: {type: table}",
    "SELECT count(*) AS n FROM base",
  );

  it("compares the query's value with `value` (0 by default)", async () => {
    const checks = [
      "custom_checks:",
      "  - name: Has Three Rows",
      "    query: SELECT count(*) FROM base",
      "    value: 3",
      "  - name: no negatives",
      "    query: SELECT count(*) FROM base WHERE n < 0;",
      "  - name: wrong total",
      "    query: SELECT sum(n) FROM {{ this }}",
      "    value: 7",
      "    blocking: false",
    ].join("\n");
    const p = new DuckDBPipeline().write({
      "assets/base.sql": sqlAsset(`${base}\n${checks}`, "SELECT * FROM range(1, 4) t(n)"),
      "assets/after.sql": downstream,
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      base: "succeeded",
      "base:custom-check:has_three_rows": "succeeded",
      "base:custom-check:no_negatives": "succeeded",
      "base:custom-check:wrong_total": "failed",
      // the failed check is not blocking: the downstream asset still runs
      after: "succeeded",
    });
    expect(errorOf(result, "base:custom-check:wrong_total")).toBe(
      "custom check 'wrong total' of 'base' failed: returned 6, expected 7",
    );
    expect(result.ok).toBe(false);
  });

  it("a failed blocking check stops the downstream assets but not other checks", async () => {
    const header = `${base}\ncolumns:\n  - name: n\n    checks: [{name: positive}, {name: not_null}]`;
    const p = new DuckDBPipeline().write({
      "assets/base.sql": sqlAsset(header, "SELECT * FROM range(-1, 2) t(n)"),
      "assets/after.sql": downstream,
      "assets/other.sql": sqlAsset("name: other\ntype: duckdb.sql\nmaterialization: {type: view}", "SELECT 1 AS one"),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      base: "succeeded",
      "base:n:positive": "failed",
      "base:n:not_null": "succeeded",
      after: "upstream_failed",
      other: "succeeded",
    });
    expect(await p.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'after'")).toEqual([
      { n: 0 },
    ]);
  });

  it("a non-blocking column check failure lets the downstream run", async () => {
    const header = `${base}\ncolumns:\n  - name: n\n    checks: [{name: positive, blocking: false}]`;
    const p = new DuckDBPipeline().write({
      "assets/base.sql": sqlAsset(header, "SELECT -1 AS n"),
      "assets/after.sql": downstream,
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ base: "succeeded", "base:n:positive": "failed", after: "succeeded" });
    expect(result.ok).toBe(false);
  });

  it("checks of a failed asset are upstream_failed", async () => {
    const header =
      "name: base\ntype: duckdb.sql\nmaterialization: {type: table}\ncolumns:\n  - name: n\n    checks: [{name: not_null}]";
    const p = new DuckDBPipeline().write({ "assets/base.sql": sqlAsset(header, "SELECT * FROM missing_table") });
    const result = await p.run();
    expect(statuses(result)).toEqual({ base: "failed", "base:n:not_null": "upstream_failed" });
    expect(errorOf(result, "base")).toMatch(/missing_table/);
  });

  it("a failed blocking custom check (expected 0 by default) stops the downstream assets", async () => {
    const checks = "custom_checks:\n  - name: no small numbers\n    query: SELECT count(*) FROM base WHERE n < 3";
    const p = new DuckDBPipeline().write({
      "assets/base.sql": sqlAsset(`${base}\n${checks}`, "SELECT * FROM range(1, 4) t(n)"),
      "assets/after.sql": downstream,
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      base: "succeeded",
      "base:custom-check:no_small_numbers": "failed",
      after: "upstream_failed",
    });
    expect(errorOf(result, "base:custom-check:no_small_numbers")).toBe(
      "custom check 'no small numbers' of 'base' failed: returned 2, expected 0",
    );
  });
});

describe("running only the checks on DuckDB", () => {
  it("checks the table as it is without running its asset", async () => {
    const header =
      "name: base\ntype: duckdb.sql\nmaterialization: {type: table}\ncolumns:\n  - name: n\n    checks: [{name: positive}, {name: max, value: 2}]";
    const p = new DuckDBPipeline().write({ "assets/base.sql": sqlAsset(header, "SELECT * FROM range(1, 4) t(n)") });
    await p.run();
    // If the asset ran, it would fail; with only checks it does not run at all.
    p.write({ "assets/base.sql": sqlAsset(header, "SELECT * FROM no_such_table") });
    const { pipeline } = await loadPipeline(p.root);
    const adapter = await openConnection({ name: "duckdb-default", type: "duckdb", details: { path: p.dbFile } });
    try {
      const result = await runPipeline({
        pipeline,
        tasks: buildTasks(pipeline, pipeline.assets, { only: ["checks"] }),
        getConnection: async () => adapter,
        workers: 2,
        interval: DAY,
      });
      expect(statuses(result)).toEqual({ "base:n:positive": "succeeded", "base:n:max": "failed" });
      expect(errorOf(result, "base:n:max")).toBe("check 'max' on column 'n' of 'base' failed: 1 row");
    } finally {
      await adapter.close();
    }
  });
});
