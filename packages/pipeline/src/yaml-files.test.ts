import { describe, expect, it } from "vitest";
import { PipelineError } from "./errors.js";
import { loadPipeline } from "./load.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";

async function load(files: Record<string, string>) {
  const root = writeTree(scratchDir(), files);
  const prev = process.cwd();
  process.chdir(root);
  try {
    return { pipeline: (await loadPipeline(root)).pipeline, issues: [] as string[] };
  } catch (error) {
    if (!(error instanceof PipelineError)) throw error;
    return { pipeline: undefined, issues: error.issues };
  } finally {
    process.chdir(prev);
  }
}

describe("YAML in pipeline.yml and asset headers", () => {
  it("reads the YAML 1.2 core schema: flow sequences, nested mappings, no timestamps, 'yes' a string", async () => {
    const { pipeline, issues } = await load({
      "pipeline.yml": "name: p\nstart_date: 2024-01-01\nvariables:\n  flag: {type: string, default: yes}\n",
      "assets/a.sql": sqlAsset(
        "name: a\ntype: duckdb.sql\ntags: [x, 'y']\nmaterialization:\n  type: table",
        "SELECT 1",
      ),
      "assets/b.sql": sqlAsset(
        "name: b\ntype: duckdb.sql\ndepends: [a]\ncolumns:\n  - name: id\n    checks: [{name: not_null}]",
        "SELECT 1 AS id",
      ),
    });
    expect(issues).toEqual([]);
    expect(pipeline!.startDate).toBe("2024-01-01");
    expect(pipeline!.variables).toEqual({ flag: "yes" });
    const b = pipeline!.assets.find((asset) => asset.name === "b")!;
    expect(b.depends).toEqual(["a"]);
    expect(b.columns[0]!.checks.map((check) => check.name)).toEqual(["not_null"]);
    expect(pipeline!.assets.find((asset) => asset.name === "a")!.tags).toEqual(["x", "y"]);
  });

  it("reports invalid YAML with the line of the file it is on", async () => {
    const { issues } = await load({
      "pipeline.yml": "name: p\nvariables:\n  a: [1,\n",
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^pipeline\.yml:4: invalid YAML: /);
  });

  it("reports a duplicate key in an asset header on its line", async () => {
    const { issues } = await load({
      "pipeline.yml": "name: p\n",
      "assets/dup.sql": "/* @bruin\n\nname: dup\ntype: duckdb.sql\nname: again\n@bruin */\nSELECT 1\n",
    });
    expect(issues).toEqual([
      expect.stringMatching(/^assets\/dup\.sql:5: invalid YAML in the asset header: duplicated mapping key/),
    ]);
  });
});
