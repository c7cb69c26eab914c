import { describe, expect, it } from "vitest";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { selectRows, STRATEGY_SCENARIOS } from "./test-support/strategy-scenarios.js";
import { sqlAsset } from "./test-support/tree.js";

const asset = (name: string, header: string, query: string) =>
  sqlAsset(`name: ${name}\ntype: duckdb.sql\n${header}`, query);

describe("table strategies on DuckDB", () => {
  // The two-run workflow of each strategy is the engine contract (contract.duckdb.test.ts).

  it("creates the table (and its schema) when an incremental strategy meets no table", async () => {
    const header = "materialization: {type: table, strategy: delete+insert, incremental_key: day}";
    const p = new DuckDBPipeline().write({
      "assets/t.sql": asset("fresh.events", header, selectRows(["day", "n"], [[1, 1]])),
    });
    expect((await p.run()).ok).toBe(true);
    expect(await p.rows("SELECT day, n FROM fresh.events")).toEqual([{ day: 1, n: 1 }]);
  });

  it("rebuilds an incremental table with fullRefresh", async () => {
    const header = "materialization: {type: table, strategy: append}";
    const p = new DuckDBPipeline().write({ "assets/t.sql": asset("t", header, "SELECT 1 AS n") });
    await p.run();
    await p.run();
    expect(await p.rows("SELECT n FROM t")).toEqual([{ n: 1 }, { n: 1 }]);
    p.write({ "assets/t.sql": asset("t", header, "SELECT 2 AS n, 'new column' AS extra") });
    expect((await p.run({ fullRefresh: true })).ok).toBe(true);
    expect(await p.rows("SELECT n, extra FROM t")).toEqual([{ n: 2, extra: "new column" }]);
  });

  // ddl runs no query.
  for (const s of STRATEGY_SCENARIOS.filter((x) => x.strategy !== "create+replace" && x.strategy !== "ddl")) {
    it(`${s.strategy}: a query failing while it runs leaves the table as it was`, async () => {
      const p = new DuckDBPipeline().write({ "assets/t.sql": asset("t", s.header, s.first) });
      expect((await p.run({ fullRefresh: true })).ok).toBe(true);
      const before = await p.rows(`SELECT ${s.columns} FROM t ORDER BY ${s.orderBy}`);
      // The first row is fine, the second fails at execution time (after DELETE would have run).
      const failing = `SELECT * FROM (${s.second}) WHERE CASE WHEN random() < 2 THEN error('boom') ELSE true END`;
      p.write({ "assets/t.sql": asset("t", s.header, failing) });
      const result = await p.run();
      expect(statuses(result)).toEqual({ t: "failed" });
      expect(errorOf(result, "t")).toContain("boom");
      expect(await p.rows(`SELECT ${s.columns} FROM t ORDER BY ${s.orderBy}`)).toEqual(before);
      expect(await p.rows("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '__bruin%'")).toEqual(
        [],
      );
    });
  }

  it("fails delete+insert whose incremental_key is not among the query's columns, naming the asset", async () => {
    const header = "materialization: {type: table, strategy: delete+insert, incremental_key: day}";
    const p = new DuckDBPipeline().write({ "assets/t.sql": asset("t", header, "SELECT 1 AS day") });
    await p.run();
    p.write({ "assets/t.sql": asset("t", header, "SELECT 1 AS other") });
    const result = await p.run();
    expect(errorOf(result, "t")).toBe("asset 't': incremental_key 'day' is not among the query's columns (other)");
  });

  it("fails an unknown strategy clearly, creating nothing", async () => {
    const p = new DuckDBPipeline().write({
      "assets/a.sql": asset("a", "materialization: {type: table, strategy: scd3}", "SELECT 1 AS x"),
      "assets/b.sql": asset("b", "depends: [a]", "SELECT 1"),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ a: "failed", b: "upstream_failed" });
    expect(errorOf(result, "a")).toBe(
      "materialization strategy 'scd3' is not supported; use one of: create+replace, append, delete+insert, truncate+insert, merge, time_interval, scd2_by_column, scd2_by_time, ddl, datavault_hub, datavault_link, datavault_satellite",
    );
    expect(await p.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'a'")).toEqual([
      { n: 0 },
    ]);
  });
});
