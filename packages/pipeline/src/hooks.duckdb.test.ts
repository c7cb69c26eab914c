import { describe, expect, it } from "vitest";
import { loadPipeline } from "./load.js";
import { validatePipeline } from "./validate.js";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

const LOG = "CREATE TABLE IF NOT EXISTS hook_log (step VARCHAR, asset VARCHAR, day VARCHAR, n BIGINT)";
const tableCount = (name: string) => `(SELECT count(*) FROM information_schema.tables WHERE table_name = '${name}')`;

describe("pre and post hooks on DuckDB", () => {
  it("run in order around the asset's query, rendered with its template context", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": sqlAsset(
        [
          "name: items",
          "type: duckdb.sql",
          "materialization: {type: table}",
          "hooks:",
          "  pre:",
          `    - query: "${LOG}"`,
          `    - query: "INSERT INTO hook_log SELECT 'pre', '{{ this }}', '{{ start_date }}', ${tableCount("items")};"`,
          "  post:",
          "    - query: INSERT INTO hook_log SELECT 'post', '{{ this }}', '{{ end_date }}', (SELECT count(*) FROM items)",
        ].join("\n"),
        "SELECT 1 AS id UNION ALL SELECT 2",
      ),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ items: "succeeded" });
    expect(await p.rows("SELECT step, asset, day, n FROM hook_log ORDER BY step DESC")).toEqual([
      { step: "pre", asset: "items", day: "2024-03-05", n: 0 },
      { step: "post", asset: "items", day: "2024-03-05", n: 2 },
    ]);
  });

  it("inherit each side of the pipeline's default hooks that the asset does not declare", async () => {
    const p = new DuckDBPipeline(
      [
        "name: test",
        "default:",
        "  hooks:",
        "    pre:",
        `      - query: "${LOG}"`,
        "      - query: INSERT INTO hook_log VALUES ('default pre', '{{ this }}', NULL, NULL)",
        "    post:",
        "      - query: INSERT INTO hook_log VALUES ('default post', '{{ this }}', NULL, NULL)",
        "",
      ].join("\n"),
    ).write({
      "assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql", "SELECT 1"),
      "assets/b.sql": sqlAsset(
        [
          "name: b",
          "type: duckdb.sql",
          "depends: [a]",
          "hooks:",
          "  pre:",
          "    - query: INSERT INTO hook_log VALUES ('own pre', '{{ this }}', NULL, NULL)",
        ].join("\n"),
        "SELECT 1",
      ),
    });
    const result = await p.run({ workers: 1 });
    expect(result.ok).toBe(true);
    expect(await p.rows("SELECT asset, step FROM hook_log ORDER BY rowid")).toEqual([
      { asset: "a", step: "default pre" },
      { asset: "a", step: "default post" },
      { asset: "b", step: "own pre" },
      { asset: "b", step: "default post" },
    ]);
  });

  it("fail the asset when a pre hook fails, before its query runs, and skip the post hooks", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": sqlAsset(
        [
          "name: items",
          "type: duckdb.sql",
          "materialization: {type: table}",
          "hooks:",
          "  pre: [{query: SELECT * FROM missing_table}]",
          `  post: [{query: "${LOG}"}]`,
        ].join("\n"),
        "SELECT 1 AS id",
      ),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ items: "failed" });
    expect(errorOf(result, "items")).toMatch(/^asset 'items': pre hook 1 failed: .*missing_table/);
    expect(
      await p.rows("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('items', 'hook_log')"),
    ).toEqual([{ n: 0 }]);
  });

  it("are reported by validate when they do not render, naming the asset's file", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": sqlAsset(
        "name: items\ntype: duckdb.sql\nhooks:\n  post: [{query: 'SELECT {{ var.nope }}'}]",
        "SELECT 1",
      ),
    });
    const { pipeline } = await loadPipeline(p.root);
    const { issues } = await validatePipeline(pipeline, pipeline.assets);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^asset 'items': failed to render the post hook 1 at line 1 of it \(.*assets\/items\.sql\)/,
    );
  });

  it("must be lists of {query}; a malformed one is a load problem naming the file", async () => {
    const p = new DuckDBPipeline().write({
      "assets/items.sql": sqlAsset("name: items\ntype: duckdb.sql\nhooks:\n  pre: [SELECT 1]\n  after: []", "SELECT 1"),
    });
    const { issues } = await loadPipeline(p.root, { collectIssues: true });
    expect(issues).toEqual([
      expect.stringMatching(/^asset 'items' \(.*assets\/items\.sql\): 'hooks' takes 'pre' and 'post', not 'after'$/),
      expect.stringMatching(/^asset 'items' \(.*assets\/items\.sql\): 'hooks\.pre' items need a 'query'$/),
    ]);
  });
});
