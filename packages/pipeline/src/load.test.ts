import path from "node:path";
import { describe, expect, it } from "vitest";
import { PipelineError } from "./errors.js";
import { loadPipeline } from "./load.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";

async function loadError(p: string): Promise<PipelineError> {
  const error = await loadPipeline(p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
}

describe("loadPipeline", () => {
  it("reads pipeline.yml and derives missing asset names from the path under assets/", async () => {
    const root = writeTree(scratchDir(), {
      "pipeline.yml":
        "name: shop\nschedule: daily\nstart_date: '2024-01-01'\ntags: [core]\nvariables:\n  region: {type: string, default: eu}\n",
      "assets/raw/orders.sql": sqlAsset("type: duckdb.sql", "SELECT 1 AS id"),
      "assets/mart/revenue.sql": sqlAsset(
        "name: mart.rev\ntype: duckdb.sql\ndepends: raw.orders",
        "SELECT * FROM raw.orders;",
      ),
      "assets/notes.sql": "SELECT 'not an asset';\n",
      "assets/readme.md": "# docs",
    });
    const { pipeline, selectedAsset } = await loadPipeline(root);
    expect(selectedAsset).toBeUndefined();
    expect(pipeline).toMatchObject({
      name: "shop",
      dir: root,
      file: path.join(root, "pipeline.yml"),
      schedule: "daily",
      startDate: "2024-01-01",
      tags: ["core"],
      variables: { region: "eu" },
    });
    expect(pipeline.assets.map((a) => a.name).sort()).toEqual(["mart.rev", "raw.orders"]);
    const rev = pipeline.assets.find((a) => a.name === "mart.rev")!;
    expect(rev).toMatchObject({
      type: "duckdb.sql",
      platform: "duckdb",
      connection: "duckdb-default",
      depends: ["raw.orders"],
    });
    expect(rev.query.trim()).toBe("SELECT * FROM raw.orders;");
    expect(rev.headerLine).toBe(1);
    expect(rev.queryLine).toBe(5); // the line of "@bruin */": header, name, type, depends, closing marker
  });

  it("accepts pipeline.yaml, a tasks/ folder, and a pipeline file path", async () => {
    const root = writeTree(scratchDir(), {
      "pipeline.yaml": "name: alt\n",
      "tasks/one.asset.sql": sqlAsset("type: duckdb.sql", "SELECT 1"),
    });
    const { pipeline } = await loadPipeline(path.join(root, "pipeline.yaml"));
    expect(pipeline.assets.map((a) => a.name)).toEqual(["one.asset"]);
  });

  it("selects the asset named by a file path and finds its pipeline walking up", async () => {
    const root = writeTree(scratchDir(), {
      "p/pipeline.yml": "name: shop\n",
      "p/assets/deep/a.sql": sqlAsset("name: a\ntype: duckdb.sql", "SELECT 1"),
      "p/assets/b.sql": sqlAsset("name: b\ntype: duckdb.sql", "SELECT 2"),
    });
    const { pipeline, selectedAsset } = await loadPipeline(path.join(root, "p/assets/deep/a.sql"));
    expect(pipeline.name).toBe("shop");
    expect(pipeline.assets).toHaveLength(2);
    expect(selectedAsset?.name).toBe("a");
  });

  it("fails for an asset file outside any pipeline", async () => {
    const root = writeTree(scratchDir(), { "lonely.sql": sqlAsset("name: x\ntype: duckdb.sql", "SELECT 1") });
    const file = path.join(root, "lonely.sql");
    const error = await loadError(file);
    expect(error.issues).toEqual([`Failed to find the pipeline this task belongs to: '${file}'`]);
    expect(error.exitCode).toBe(1);
  });

  it("fails for a missing path and for a folder without pipeline.yml", async () => {
    const root = scratchDir();
    expect((await loadError(path.join(root, "nope"))).message).toContain("does not exist");
    expect((await loadError(root)).message).toContain("no pipeline.yml found");
  });

  it("resolves connections: the asset's own, then default_connections, then the built-in default", async () => {
    const root = writeTree(scratchDir(), {
      "pipeline.yml": "name: c\ndefault_connections:\n  postgres: warehouse\n  gcp: bq-main\n",
      "assets/own.sql": sqlAsset("type: pg.sql\nconnection: special", "SELECT 1"),
      "assets/pg.sql": sqlAsset("type: pg.sql", "SELECT 1"),
      "assets/bq.sql": sqlAsset("type: bq.sql", "SELECT 1"),
      "assets/my.sql": sqlAsset("type: my.sql", "SELECT 1"),
      "assets/sf.sql": sqlAsset("type: sf.sql", "SELECT 1"),
    });
    const { pipeline } = await loadPipeline(root);
    const conn = Object.fromEntries(pipeline.assets.map((a) => [a.name, [a.platform, a.connection]]));
    expect(conn).toEqual({
      own: ["postgres", "special"],
      pg: ["postgres", "warehouse"],
      bq: ["google_cloud_platform", "bq-main"],
      my: ["mysql", "mysql-default"],
      sf: ["snowflake", "snowflake-default"],
    });
  });

  it("names the built-in default connection of each platform when nothing else names one", async () => {
    const root = writeTree(scratchDir(), {
      "pipeline.yml": "name: c\n",
      "assets/pg.sql": sqlAsset("type: pg.sql", "SELECT 1"),
      "assets/my.sql": sqlAsset("type: my.sql", "SELECT 1"),
      "assets/duck.sql": sqlAsset("type: duckdb.sql", "SELECT 1"),
      "assets/bq.sql": sqlAsset("type: bq.sql", "SELECT 1"),
    });
    const { pipeline } = await loadPipeline(root);
    const conn = Object.fromEntries(pipeline.assets.map((a) => [a.name, [a.platform, a.connection]]));
    expect(conn).toEqual({
      pg: ["postgres", "postgres-default"],
      my: ["mysql", "mysql-default"],
      duck: ["duckdb", "duckdb-default"],
      bq: ["google_cloud_platform", "gcp-default"],
    });
  });

  it("applies the pipeline's asset defaults", async () => {
    const root = writeTree(scratchDir(), {
      "pipeline.yml":
        "name: d\ndefault:\n  type: duckdb.sql\n  connection: local\n  tags: [nightly]\n  materialization: {type: table}\n",
      "assets/a.sql": sqlAsset("tags: [x]", "SELECT 1"),
      "assets/b.sql": sqlAsset("materialization: {type: view}\nconnection: other", "SELECT 1"),
    });
    const { pipeline } = await loadPipeline(root);
    const [a, b] = pipeline.assets;
    expect(a).toMatchObject({
      type: "duckdb.sql",
      connection: "local",
      tags: ["x", "nightly"],
      materialization: { type: "table", strategy: "create+replace" },
    });
    expect(b).toMatchObject({ connection: "other", materialization: { type: "view" } });
  });

  it("reads every form of depends", async () => {
    const root = writeTree(scratchDir(), {
      "pipeline.yml": "name: deps\n",
      "assets/a.sql": sqlAsset("type: duckdb.sql", "SELECT 1"),
      "assets/b.sql": sqlAsset("type: duckdb.sql", "SELECT 1"),
      "assets/c.sql": sqlAsset("type: duckdb.sql\ndepends: a", "SELECT 1"),
      "assets/d.sql": sqlAsset("type: duckdb.sql\ndepends: [a, b, a]", "SELECT 1"),
      "assets/e.sql": sqlAsset("type: duckdb.sql\ndepends:\n  - asset: a\n  - b\n  - uri: external://x", "SELECT 1"),
      "assets/f.sql": sqlAsset("type: duckdb.sql\ndepends: [{asset: c}]", "SELECT 1"),
    });
    const { pipeline } = await loadPipeline(root);
    const deps = Object.fromEntries(pipeline.assets.map((a) => [a.name, a.depends]));
    expect(deps).toEqual({ a: [], b: [], c: ["a"], d: ["a", "b"], e: ["a", "b"], f: ["c"] });
  });

  it("reads columns, checks and custom checks with their defaults", async () => {
    const header = [
      "type: duckdb.sql",
      "columns:",
      "  - name: id",
      "    type: INTEGER",
      "    primary_key: true",
      "    checks: [{name: not_null}, {name: min, value: 3, blocking: false}]",
      "custom_checks:",
      "  - name: Has Rows",
      "    query: SELECT count(*) > 0 FROM t",
      "    value: 1",
      "  - name: nothing",
      "    query: SELECT 0",
      "    blocking: false",
    ].join("\n");
    const root = writeTree(scratchDir(), {
      "pipeline.yml": "name: checks\n",
      "assets/t.sql": sqlAsset(header, "SELECT 1 AS id"),
    });
    const [asset] = (await loadPipeline(root)).pipeline.assets;
    expect(asset!.columns).toEqual([
      {
        name: "id",
        type: "INTEGER",
        primaryKey: true,
        updateOnMerge: false,
        checks: [
          { name: "not_null", blocking: true },
          { name: "min", value: 3, blocking: false },
        ],
      },
    ]);
    expect(asset!.customChecks).toEqual([
      { name: "Has Rows", query: "SELECT count(*) > 0 FROM t", value: 1, blocking: true },
      { name: "nothing", query: "SELECT 0", value: 0, blocking: false },
    ]);
  });
});
