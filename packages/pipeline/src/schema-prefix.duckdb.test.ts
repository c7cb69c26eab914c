import { openConnection, type ConnectionAdapter } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import type { Pipeline, RunResult } from "./model.js";
import { renderQuery, templateContext } from "./render.js";
import { runPipeline } from "./run.js";
import { applySchemaPrefix, prefixedName } from "./schema-prefix.js";
import { DAY, DuckDBPipeline, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

async function run(p: DuckDBPipeline, pipeline: Pipeline): Promise<RunResult> {
  const opened: ConnectionAdapter[] = [];
  try {
    return await runPipeline({
      pipeline,
      tasks: buildTasks(pipeline, pipeline.assets),
      getConnection: async (name) => {
        const adapter = await openConnection({ name, type: "duckdb", details: { path: p.dbFile } });
        opened.push(adapter);
        return adapter;
      },
      workers: 1,
      interval: DAY,
    });
  } finally {
    await Promise.all(opened.map((a) => a.close()));
  }
}

const ASSETS = {
  "assets/raw/events.sql": sqlAsset(
    "name: raw.events\ntype: duckdb.sql\nmaterialization: {type: table}",
    "SELECT * FROM (VALUES (1), (2), (3)) t(id)",
  ),
  "assets/mart/daily.sql": sqlAsset(
    [
      "name: mart.daily",
      "type: duckdb.sql",
      "depends: [raw.events]",
      "materialization: {type: table}",
      "columns:",
      "  - name: n",
      "    checks: [positive]",
      "custom_checks:",
      "  - name: one row",
      "    query: SELECT count(*) FROM mart.daily",
      "    value: 1",
      "hooks:",
      "  post: [{query: \"CREATE TABLE {{ this }}_log AS SELECT '{{ this }}' AS name\"}]",
    ].join("\n"),
    "SELECT count(*) AS n FROM raw.events e WHERE e.id > 0",
  ),
  "assets/plain.sql": sqlAsset("name: plain\ntype: duckdb.sql\nmaterialization: {type: view}", "SELECT 1 AS one"),
};

describe("schema_prefix on DuckDB", () => {
  it("prefixes the schema of every asset name, and their references to one another", async () => {
    const p = new DuckDBPipeline("name: test\nschema_prefix: dev_\n").write(ASSETS);
    // pipeline.yml's schema_prefix applies as the pipeline loads; a caller's (an environment's) replaces it.
    const { pipeline: prefixed } = await loadPipeline(p.root);
    expect(prefixed.schemaPrefix).toBe("dev_");
    const other = (await loadPipeline(p.root, { schemaPrefix: "other_" })).pipeline;
    expect(other.assets.map((a) => a.name).sort()).toEqual(["other_mart.daily", "other_raw.events", "plain"]);
    expect(prefixed.assets.map((a) => [a.name, a.depends])).toEqual([
      ["dev_mart.daily", ["dev_raw.events"]],
      ["plain", []],
      ["dev_raw.events", []],
    ]);
    const context = templateContext({
      assetName: "dev_mart.daily",
      pipelineName: "test",
      interval: DAY,
      variables: {},
    });
    expect(renderQuery(prefixed.assets[0]!, context).trim()).toBe(
      "SELECT count(*) AS n FROM dev_raw.events e WHERE e.id > 0",
    );

    const result = await run(p, prefixed);
    expect(statuses(result)).toEqual({
      plain: "succeeded",
      "dev_raw.events": "succeeded",
      "dev_mart.daily": "succeeded",
      "dev_mart.daily:n:positive": "succeeded",
      "dev_mart.daily:custom-check:one_row": "succeeded",
    });
    expect(await p.rows("SELECT n FROM dev_mart.daily")).toEqual([{ n: 3 }]);
    expect(await p.rows("SELECT name FROM dev_mart.daily_log")).toEqual([{ name: "dev_mart.daily" }]);
    expect(
      await p.rows(
        "SELECT DISTINCT table_schema AS s FROM information_schema.tables WHERE table_schema IN ('raw', 'mart')",
      ),
    ).toEqual([]);
  });

  it("reads a table outside the pipeline from its prefixed copy when there is one", async () => {
    const p = new DuckDBPipeline().write({
      "assets/setup.sql": sqlAsset(
        "name: setup\ntype: duckdb.sql",
        [
          "CREATE SCHEMA IF NOT EXISTS src;",
          "CREATE SCHEMA IF NOT EXISTS me_src;",
          "CREATE OR REPLACE TABLE src.people AS SELECT 'prod' AS origin;",
          "CREATE OR REPLACE TABLE me_src.people AS SELECT 'mine' AS origin;",
          "CREATE OR REPLACE TABLE src.places AS SELECT 'prod' AS origin;",
        ].join("\n"),
      ),
      "assets/mart/origins.sql": sqlAsset(
        "name: mart.origins\ntype: duckdb.sql\ndepends: [setup]\nmaterialization: {type: table}",
        "SELECT p.origin AS people, l.origin AS places FROM src.people p, src.places l",
      ),
    });
    const { pipeline } = await loadPipeline(p.root);
    const result = await run(p, applySchemaPrefix(pipeline, "me_"));
    expect(result.ok).toBe(true);
    expect(await p.rows("SELECT people, places FROM me_mart.origins")).toEqual([{ people: "mine", places: "prod" }]);
  });

  it("changes nothing without a prefix, and refuses one that is not a plain identifier part", async () => {
    const p = new DuckDBPipeline().write(ASSETS);
    const { pipeline } = await loadPipeline(p.root);
    expect(applySchemaPrefix(pipeline, undefined)).toBe(pipeline);
    expect(() => applySchemaPrefix(pipeline, "dev; DROP")).toThrow(
      "schema_prefix 'dev; DROP' may hold only letters, digits and '_'",
    );
    expect(prefixedName("db.mart.t", "x_")).toBe("db.x_mart.t");
  });
});
