import { describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import { validatePipeline } from "./validate.js";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

// The reference's run-non-wait-symbolic pipeline.
const files = {
  "assets/asset1.sql": sqlAsset("type: duckdb.sql", "SELECT 1"),
  "assets/asset2.sql": sqlAsset("name: asset2\ntype: duckdb.sql", "SELECT 1"),
  "assets/my-other-asset.sql": sqlAsset("type: duckdb.sql", "SELECT * FROM my"),
  "assets/example.sql": sqlAsset(
    [
      "type: duckdb.sql",
      "depends:",
      "  - asset1",
      "  - asset: asset2",
      "    mode: symbolic",
      "  - asset: my-other-asset",
      "    mode: symbolic",
    ].join("\n"),
    "SELECT 1",
  ),
};

describe("symbolic dependencies", () => {
  it("are not waited for: the asset runs even when a symbolic upstream fails", async () => {
    const p = new DuckDBPipeline("name: non-wait-symbolic\n").write(files);
    const result = await p.run();
    expect(statuses(result)).toEqual({
      asset1: "succeeded",
      asset2: "succeeded",
      "my-other-asset": "failed",
      example: "succeeded",
    });
    expect(errorOf(result, "my-other-asset")).toMatch(/Table with name my does not exist/);
    expect(result.ok).toBe(false);
  });

  it("stay in the asset's definition for lineage, while only full dependencies order the tasks", async () => {
    const p = new DuckDBPipeline().write(files);
    const { pipeline } = await loadPipeline(p.root);
    const example = pipeline.assets.find((a) => a.name === "example")!;
    expect(example.depends).toEqual(["asset1"]);
    expect(example.symbolicDepends).toEqual(["asset2", "my-other-asset"]);
    expect(buildTasks(pipeline, pipeline.assets).find((t) => t.id === "example")!.upstream).toEqual(["asset1"]);
  });

  it("must name an asset of the pipeline, and a mode must be full or symbolic", async () => {
    const p = new DuckDBPipeline().write({
      "assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql\ndepends: [{asset: ghost, mode: symbolic}]", "SELECT 1"),
      "assets/b.sql": sqlAsset("name: b\ntype: duckdb.sql\ndepends: [{asset: a, mode: lazy}]", "SELECT 1"),
    });
    const { pipeline, issues } = await loadPipeline(p.root, { collectIssues: true });
    expect(issues).toEqual([
      expect.stringMatching(/^asset 'b' \(.*assets\/b\.sql\): 'depends': mode of 'a' must be 'full' or 'symbolic'$/),
    ]);
    const validation = await validatePipeline(pipeline, pipeline.assets);
    expect(validation.issues).toEqual([
      expect.stringMatching(
        /^asset 'a' \(.*assets\/a\.sql\) has a symbolic dependency on 'ghost', which does not exist$/,
      ),
    ]);
  });
});
