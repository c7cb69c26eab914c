import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { displayPath } from "../display-path.js";
import { loadPipeline } from "../load.js";
import { validatePipeline } from "../validate.js";
import { pythonAsset } from "../test-support/code-scenarios.js";
import { scratchDir, writeTree } from "../test-support/tree.js";

function pathWith(...names: string[]): string {
  const dir = scratchDir("bruin-bin-");
  for (const name of names) {
    writeFileSync(path.join(dir, name), "#!/bin/sh\n");
    chmodSync(path.join(dir, name), 0o755);
  }
  return dir;
}

const FILES = {
  "pipeline.yml": "name: v\ndefault:\n  secrets:\n    - key: shared\n",
  "assets/ok.py": pythonAsset(
    "name: ok\nconnection: wh\nmaterialization: {type: table}\nsecrets:\n  - key: api",
    "def materialize():\n    return []",
  ),
  "assets/noconn.py": pythonAsset("name: noconn\nmaterialization: {type: table}", "def materialize():\n    return []"),
  "assets/nofunc.py": pythonAsset("name: nofunc\nconnection: wh\nmaterialization: {type: table}", "print('rows?')"),
  "assets/view.py": pythonAsset(
    "name: view\nconnection: wh\nmaterialization: {type: view}",
    "def materialize():\n    return []",
  ),
  "assets/merge.py": pythonAsset(
    "name: merge\nconnection: wh\nmaterialization: {type: table, strategy: merge}",
    "def materialize():\n    return []",
  ),
  "assets/report.r": '"@bruin\nname: report\nmaterialization: {type: table}\n@bruin"\nprint("hi")\n',
};

describe("validating code assets", () => {
  it("reports materializations without a connection or materialize(), views, R materialization and missing interpreters", async () => {
    const { pipeline } = await loadPipeline(writeTree(scratchDir(), FILES));
    const { issues } = await validatePipeline(pipeline, pipeline.assets, { pathVariable: pathWith() });
    expect(issues.sort()).toEqual(
      [
        "Rscript is not on PATH, needed by 'report'",
        `asset 'merge' (${displayPath(path.join(pipeline.dir, "assets/merge.py"))}): materialization strategy 'merge' requires at least one column with 'primary_key: true'`,
        "asset 'noconn': a Python asset with a table materialization needs a 'connection' to load its rows into",
        "asset 'nofunc': a table materialization needs a 'def materialize():' function in the script",
        "asset 'report': R assets cannot be materialized; remove 'materialization'",
        "asset 'view': a Python asset cannot be materialized as a view; use 'type: table'",
        "no Python interpreter found on PATH (looked for uv, python3), needed by 'merge', 'noconn', 'nofunc' and 2 more",
      ].sort(),
    );
  });

  it("resolves every secret the selected code assets ask for, the pipeline's default ones included", async () => {
    const { pipeline } = await loadPipeline(writeTree(scratchDir(), FILES));
    const ok = pipeline.assets.filter((a) => a.name === "ok");
    const asked: string[] = [];
    const { issues } = await validatePipeline(pipeline, ok, {
      pathVariable: pathWith("python3"),
      resolveConnection: async (name) => {
        asked.push(name);
        if (name === "api") throw new Error("connection 'api' is not defined in .bruin.yml");
        return { name, type: name === "wh" ? "duckdb" : "generic" };
      },
    });
    expect(asked.sort()).toEqual(["api", "shared", "wh"]);
    expect(issues).toEqual(["secret 'api' (used by 'ok'): connection 'api' is not defined in .bruin.yml"]);
  });
});
