import { describe, expect, it } from "vitest";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";

/** A DuckDB query that runs for minutes: 10^10 joined rows. */
const SLOW = "SELECT sum(a.range * b.range) AS total FROM range(100000) a, range(100000) b";

describe("timeout: on SQL assets (DuckDB)", () => {
  it("cancels a statement still running at the deadline; the asset fails saying so, its downstream does not run", async () => {
    const p = new DuckDBPipeline("name: t\ndefault:\n  timeout: 1s\n").write({
      "assets/slow.sql": `/* @bruin\nname: slow\ntype: duckdb.sql\nmaterialization: {type: table}\n@bruin */\n${SLOW}\n`,
      "assets/after.sql": "/* @bruin\nname: after\ntype: duckdb.sql\ndepends: [slow]\n@bruin */\nSELECT 1 AS x\n",
      "assets/fast.sql":
        "/* @bruin\nname: fast\ntype: duckdb.sql\ntimeout: 1m\nmaterialization: {type: table}\n@bruin */\nSELECT 42 AS x\n",
    });
    const started = performance.now();
    const result = await p.run();
    const seconds = (performance.now() - started) / 1000;
    expect(statuses(result)).toEqual({ slow: "failed", after: "upstream_failed", fast: "succeeded" });
    expect(errorOf(result, "slow")).toBe("asset 'slow' timed out after 1s and was cancelled");
    // The cancelled query stopped: without the cancel it would run for minutes.
    expect(seconds).toBeLessThan(20);
    expect(await p.rows("SELECT table_name FROM information_schema.tables ORDER BY table_name")).toEqual([
      { table_name: "fast" },
    ]);
  });

  it("a statement that ends before the deadline succeeds", async () => {
    const p = new DuckDBPipeline().write({
      "assets/quick.sql":
        "/* @bruin\nname: quick\ntype: duckdb.sql\ntimeout: 30s\nmaterialization: {type: table}\n@bruin */\nSELECT 7 AS x\n",
    });
    const result = await p.run();
    expect(result.ok, errorOf(result, "quick")).toBe(true);
    expect(await p.rows("SELECT x FROM quick")).toEqual([{ x: 7 }]);
  });
});
