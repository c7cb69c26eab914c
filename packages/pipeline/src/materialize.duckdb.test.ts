import { describe, expect, it } from "vitest";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

describe("materialization on DuckDB", () => {
  it("builds a table and a view under a schema that does not exist yet", async () => {
    const p = new DuckDBPipeline().write({
      "assets/mart/revenue.sql": sqlAsset(
        "name: mart.revenue\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT * FROM (VALUES ('NL', 10), ('DE', 5)) t(country, amount);  ;",
      ),
      "assets/report/top.sql": sqlAsset(
        "name: report.top\ntype: duckdb.sql\ndepends: [mart.revenue]\nmaterialization: {type: view}",
        "SELECT country FROM mart.revenue ORDER BY amount DESC LIMIT 1;",
      ),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ "mart.revenue": "succeeded", "report.top": "succeeded" });
    expect(result.ok).toBe(true);
    expect(await p.rows("SELECT country, amount FROM mart.revenue ORDER BY country")).toEqual([
      { country: "DE", amount: 5 },
      { country: "NL", amount: 10 },
    ]);
    expect(
      await p.rows(
        "SELECT table_type FROM information_schema.tables WHERE table_schema = 'report' AND table_name = 'top'",
      ),
    ).toEqual([{ table_type: "VIEW" }]);
    expect(await p.rows("SELECT * FROM report.top")).toEqual([{ country: "NL" }]);
  });

  it("replaces a table's rows on the next run", async () => {
    const asset = (n: number) =>
      sqlAsset(
        "name: t\ntype: duckdb.sql\nmaterialization: {type: table, strategy: create+replace}",
        `SELECT ${n} AS n`,
      );
    const p = new DuckDBPipeline().write({ "assets/t.sql": asset(1) });
    await p.run();
    p.write({ "assets/t.sql": asset(2) });
    expect((await p.run()).ok).toBe(true);
    expect(await p.rows("SELECT n FROM t")).toEqual([{ n: 2 }]);
  });

  it("leaves the previous table and its rows as they were when the new query fails while running", async () => {
    const asset = (query: string) =>
      sqlAsset("name: facts.numbers\ntype: duckdb.sql\nmaterialization: {type: table}", query);
    const p = new DuckDBPipeline().write({ "assets/n.sql": asset("SELECT * FROM range(1, 4) t(n)") });
    expect((await p.run()).ok).toBe(true);

    // Fails at execution time, after the statement started, not while parsing.
    p.write({
      "assets/n.sql": asset("SELECT CASE WHEN n = 2 THEN error('boom') ELSE n END AS n FROM range(1, 4) t(n)"),
    });
    const failed = await p.run();
    expect(statuses(failed)).toEqual({ "facts.numbers": "failed" });
    expect(errorOf(failed, "facts.numbers")).toContain("boom");
    expect(await p.rows("SELECT n FROM facts.numbers ORDER BY n")).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("runs an asset without materialization as written", async () => {
    const p = new DuckDBPipeline().write({
      "assets/script.sql": sqlAsset(
        "name: script\ntype: duckdb.sql",
        "CREATE TABLE log(x INT);\nINSERT INTO log VALUES (1), (2);",
      ),
    });
    expect((await p.run()).ok).toBe(true);
    expect(await p.rows("SELECT count(*) AS n FROM log")).toEqual([{ n: 2 }]);
  });
});
