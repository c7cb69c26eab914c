import { describe, expect, it } from "vitest";
import { PipelineError } from "./errors.js";
import { loadPipeline } from "./load.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";

async function issuesOf(files: Record<string, string>): Promise<string[]> {
  const root = writeTree(scratchDir(), { "pipeline.yml": "name: p\n", ...files });
  const prev = process.cwd();
  process.chdir(root); // so paths in messages are short and predictable
  try {
    await loadPipeline(root);
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    return (error as PipelineError).issues;
  } finally {
    process.chdir(prev);
  }
  throw new Error("expected the pipeline to be rejected");
}

describe("loadPipeline validation", () => {
  it("reports an unknown upstream", async () => {
    const issues = await issuesOf({ "assets/b.sql": sqlAsset("name: b\ntype: duckdb.sql\ndepends: [x]", "SELECT 1") });
    expect(issues).toEqual(["asset 'b' (assets/b.sql) depends on 'x', which does not exist"]);
  });

  it("reports dependency cycles, self-dependencies included", async () => {
    const issues = await issuesOf({
      "assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql\ndepends: [b]", "SELECT 1"),
      "assets/b.sql": sqlAsset("name: b\ntype: duckdb.sql\ndepends: [a]", "SELECT 1"),
      "assets/s.sql": sqlAsset("name: s\ntype: duckdb.sql\ndepends: [s]", "SELECT 1"),
    });
    expect(issues).toEqual(["dependency cycle: a -> b -> a", "dependency cycle: s -> s"]);
  });

  it("reports duplicate asset names", async () => {
    const issues = await issuesOf({
      "assets/one.sql": sqlAsset("name: same\ntype: duckdb.sql", "SELECT 1"),
      "assets/two.sql": sqlAsset("name: same\ntype: duckdb.sql", "SELECT 2"),
    });
    expect(issues).toEqual(["duplicate asset name 'same' in assets/one.sql and assets/two.sql"]);
  });

  it("reports header problems with file and line, and collects all of them at once", async () => {
    const issues = await issuesOf({
      "assets/open.sql": "\n\n/* @bruin\nname: open\ntype: duckdb.sql\nSELECT 1\n",
      "assets/yaml.sql": "/* @bruin\nname: y\ntype: [duckdb.sql\n@bruin */\nSELECT 1\n",
      "assets/list.sql": "/* @bruin\n- a\n- b\n@bruin */\nSELECT 1\n",
      "assets/notype.sql": sqlAsset("name: nt", "SELECT 1"),
      "assets/empty.sql": sqlAsset("name: e\ntype: duckdb.sql", ""),
    });
    expect(issues).toHaveLength(5);
    expect(issues).toContain("asset 'e' (assets/empty.sql): the query after the header is empty");
    expect(issues).toContain("assets/list.sql:1: the asset header must be a YAML mapping");
    expect(issues).toContain("asset 'nt' (assets/notype.sql): 'type' is required, e.g. 'type: duckdb.sql'");
    expect(issues).toContain("assets/open.sql:3: the '/* @bruin' header is never closed with '@bruin */'");
    expect(issues.find((i) => i.startsWith("assets/yaml.sql:"))).toMatch(
      /^assets\/yaml\.sql:4: invalid YAML in the asset header: unexpected end of the stream within a flow collection$/,
    );
  });

  it("reports bad checks, materializations and duplicate check ids", async () => {
    const header = [
      "name: t",
      "type: duckdb.sql",
      "materialization: {type: snapshot}",
      "columns:",
      "  - name: id",
      "    checks: [{name: not_null}, {name: not_null}, {name: is_even}, {name: min}, {name: accepted_values, value: []}]",
      "custom_checks:",
      "  - name: no query",
    ].join("\n");
    const issues = await issuesOf({ "assets/t.sql": sqlAsset(header, "SELECT 1") });
    const prefix = "asset 't' (assets/t.sql): ";
    expect(issues).toEqual([
      `${prefix}unknown materialization type 'snapshot'; use 'view' or 'table'`,
      `${prefix}column 'id': unknown check 'is_even'; known checks: not_null, unique, positive, negative, non_negative, min, max, accepted_values, pattern, relationships`,
      `${prefix}column 'id', check 'min': 'value' must be a number`,
      `${prefix}column 'id', check 'accepted_values': 'value' must be a non-empty list of values`,
      `${prefix}custom check 'no query': 'query' is required`,
      "task 't:id:not_null' is defined more than once; give each check a distinct name",
    ]);
  });

  it("reports pipeline.yml problems: missing name, variables without default", async () => {
    const root = writeTree(scratchDir(), { "pipeline.yml": "schedule: daily\nvariables:\n  x: {type: string}\n" });
    const error = await loadPipeline(root).catch((e: unknown) => e as PipelineError);
    expect((error as PipelineError).issues.map((i) => i.replace(/^.*pipeline\.yml: /, ""))).toEqual([
      "'name' is required",
      "variable 'x' needs a 'default'",
    ]);
  });

  it("rejects an asset file that is not an asset", async () => {
    const root = writeTree(scratchDir(), { "pipeline.yml": "name: p\n", "assets/plain.sql": "SELECT 1;\n" });
    const error = await loadPipeline(`${root}/assets/plain.sql`).catch((e: unknown) => e as PipelineError);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).message).toContain("is not an asset of pipeline 'p'");
  });
});
