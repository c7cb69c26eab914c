import { describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const PIPELINE = 'name: drift\nvariables:\n  region:\n    type: string\n    default: "eu"\n';
const OK_ASSET = sqlAsset("name: main.ok\ntype: duckdb.sql\nmaterialization:\n  type: table", "SELECT 1 AS n");

/** A pipeline in a scratch repository with a DuckDB .bruin.yml, plus `files`. */
function project(files: Record<string, string>): string {
  const root = scratchRepo("bruin-prepare-");
  writeTree(root, { ".bruin.yml": DUCKDB_CONFIG, "p/pipeline.yml": PIPELINE, "p/assets/ok.sql": OK_ASSET, ...files });
  return root;
}

describe("run and validate share prepareRun(): what validate refuses, run refuses with the same exit code", () => {
  const cases: Array<[string, Record<string, string>, string[], number, string]> = [
    ["an undeclared --var", {}, ["--var", "nowhere=1"], 2, "unknown variable 'nowhere'"],
    [
      "a --var of the wrong type",
      { "p/pipeline.yml": PIPELINE.replace("type: string", "type: integer").replace('"eu"', "1") },
      ["--var", 'region="x"'],
      2,
      "region",
    ],
    [
      "a dependency that does not exist",
      { "p/assets/b.sql": sqlAsset("name: main.b\ntype: duckdb.sql\ndepends:\n  - main.nowhere", "SELECT 1") },
      [],
      1,
      "depends on 'main.nowhere', which does not exist",
    ],
    [
      "a connection missing from .bruin.yml",
      { "p/assets/b.sql": sqlAsset("name: main.b\ntype: duckdb.sql\nconnection: elsewhere", "SELECT 1") },
      [],
      2,
      "elsewhere",
    ],
    [
      "an asset on a connection of another platform",
      { "p/assets/b.sql": sqlAsset("name: main.b\ntype: pg.sql\nconnection: duckdb-default", "SELECT 1") },
      [],
      1,
      "duckdb",
    ],
  ];

  for (const [what, files, extra, code, text] of cases) {
    it(what, async () => {
      const root = project(files);
      const validate = await runBruin(["validate", "p", ...extra], { cwd: root });
      const run = await runBruin(["run", "p", "--no-color", ...extra], { cwd: root });
      expect({ validate: validate.code, run: run.code }, `${validate.all}\n---\n${run.all}`).toEqual({
        validate: code,
        run: code,
      });
      expect(validate.all).toContain(text);
      expect(run.all).toContain(text);
    });
  }

  it("a pipeline validate accepts, run runs", async () => {
    const root = project({});
    const validate = await runBruin(["validate", "p", "--var", 'region="us"'], { cwd: root });
    expect(validate.code, validate.all).toBe(0);
    const run = await runBruin(["run", "p", "--no-color", "--var", 'region="us"'], { cwd: root });
    expect(run.code, run.all).toBe(0);
  });
});
