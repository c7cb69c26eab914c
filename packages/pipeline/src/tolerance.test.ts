import { describe, expect, it } from "vitest";
import { connectionNames } from "./graph.js";
import { loadPipeline } from "./load.js";
import { selectAssets } from "./select.js";
import { validatePipeline } from "./validate.js";
import { DuckDBPipeline, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";

const PIPELINE = [
  "name: mixed",
  "default_connections:",
  "  duckdb: duckdb-default",
  "  slack: team-slack",
  "  gcs: lake-bucket",
  "  google_cloud_platform: gcp",
  "",
].join("\n");

const FILES = {
  "assets/raw/orders.sql": sqlAsset("type: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS id"),
  "assets/ml/score.py": '""" @bruin\nname: ml.score\ndepends: [raw.orders]\ntags: [ml]\n@bruin """\nprint("hi")\n',
  "assets/raw/users.asset.yml": "type: ingestr\nparameters:\n  source_connection: pg\n  source_table: users\n",
  "assets/old.sql": sqlAsset("name: old\ntype: oracle.sql", "SELECT 1"),
  "assets/broken.py": '""" @bruin\nname: [unclosed\n@bruin """\n',
  "assets/helpers.py": "def helper():\n    return 1\n",
};

describe("pipelines with assets this library cannot run", () => {
  it("loads them as assets marked unsupported, with platforms it does not know in default_connections", async () => {
    const root = writeTree(scratchDir(), { "pipeline.yml": PIPELINE, ...FILES });
    const prev = process.cwd();
    process.chdir(root);
    try {
      const { pipeline } = await loadPipeline(root);
      expect(pipeline.defaultConnections).toMatchObject({ slack: "team-slack", gcs: "lake-bucket" });
      const byName = Object.fromEntries(pipeline.assets.map((a) => [a.name, a]));
      expect(Object.keys(byName).sort()).toEqual(["broken", "ml.score", "old", "raw.orders", "raw.users"]);
      expect(byName["raw.orders"]!.unsupported).toBeUndefined();
      expect(byName["ml.score"]).toMatchObject({
        type: "python",
        depends: ["raw.orders"],
        tags: ["ml"],
        connection: "",
        code: { language: "python", secrets: [] },
      });
      expect(byName["ml.score"]!.unsupported).toBeUndefined();
      expect(byName["raw.users"]!.unsupported).toBe(
        "asset 'raw.users' (assets/raw/users.asset.yml): asset type 'ingestr' is not supported; only SQL, Python and R assets run here",
      );
      expect(byName.old!.unsupported).toBe(
        "asset 'old' (assets/old.sql): no connection mapping found for asset type 'oracle.sql'",
      );
      expect(byName.broken!.unsupported).toMatch(
        /^asset 'broken' \(assets\/broken\.py\): cannot be read: assets\/broken\.py:\d+: invalid YAML in the asset header/,
      );
    } finally {
      process.chdir(prev);
    }
  });

  it("runs the supported assets; a selected unsupported one fails with its reason and stops its downstream", async () => {
    const p = new DuckDBPipeline(PIPELINE).write({
      ...FILES,
      "assets/after.sql": sqlAsset("name: after\ntype: duckdb.sql\ndepends: [raw.users]", "SELECT 1"),
    });
    const result = await p.run();
    expect(statuses(result)).toMatchObject({
      "raw.orders": "succeeded",
      "ml.score": "succeeded",
      "raw.users": "failed",
      after: "upstream_failed",
    });
    expect(result.tasks.find((t) => t.task.id === "raw.users")!.error).toContain(
      "asset type 'ingestr' is not supported",
    );
    expect(await p.rows("SELECT id FROM raw.orders")).toEqual([{ id: 1 }]);
  });

  it("leaves unselected unsupported assets out of validation and the run", async () => {
    const root = writeTree(scratchDir(), { "pipeline.yml": PIPELINE, ...FILES });
    const { pipeline } = await loadPipeline(root);
    // The test is the host: interpreters are looked for on its PATH, as the CLI passes its own.
    const all = await validatePipeline(pipeline, pipeline.assets, { pathVariable: process.env.PATH });
    expect(all.issues).toHaveLength(3);
    expect(all.issues.every((i) => /not supported|no connection mapping|cannot be read/.test(i))).toBe(true);

    const orders = pipeline.assets.find((a) => a.name === "raw.orders")!;
    const selected = selectAssets(pipeline, { asset: orders });
    expect(selected.map((a) => a.name)).toEqual(["raw.orders"]);
    expect((await validatePipeline(pipeline, selected)).issues).toEqual([]);
    expect(connectionNames(pipeline.assets)).toEqual(["duckdb-default"]);
  });
});
