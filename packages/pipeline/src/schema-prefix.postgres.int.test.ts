import { openLocalServer } from "@bruin-ts/test-servers";
import { afterAll, describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import { runPipeline } from "./run.js";
import { applySchemaPrefix } from "./schema-prefix.js";
import { DAY, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: ns, admin } = scratchNamespace("postgres", "bruin_sp");
afterAll(async () => {
  await admin().exec(`DROP SCHEMA IF EXISTS dev_${ns} CASCADE`);
});

describe("schema_prefix on PostgreSQL", () => {
  it("builds the assets in prefixed schemas, reading each other's and prefixed copies of outside tables", async () => {
    await admin().exec(`CREATE SCHEMA IF NOT EXISTS ${ns}; CREATE SCHEMA IF NOT EXISTS dev_${ns}`);
    await admin().exec(`CREATE TABLE ${ns}.source AS SELECT 'prod' AS origin`);
    await admin().exec(`CREATE TABLE dev_${ns}.source AS SELECT 'dev' AS origin`);
    const root = writeTree(scratchDir("bruin-sp-"), {
      "pipeline.yml": "name: sp\ndefault_connections:\n  postgres: pg\n",
      "assets/events.sql": sqlAsset(
        `name: ${ns}.events\ntype: pg.sql\nmaterialization: {type: table}`,
        `SELECT origin, n FROM ${ns}.source, generate_series(1, 2) AS g(n)`,
      ),
      "assets/summary.sql": sqlAsset(
        `name: ${ns}.summary\ntype: pg.sql\ndepends: [${ns}.events]\nmaterialization: {type: view}\ncolumns:\n  - name: n\n    checks: [not_null]`,
        `SELECT origin, count(*) AS n FROM ${ns}.events GROUP BY origin`,
      ),
    });
    const prefixed = applySchemaPrefix((await loadPipeline(root)).pipeline, "dev_");
    const adapter = await openLocalServer("postgres", "pg");
    try {
      const result = await runPipeline({
        pipeline: prefixed,
        tasks: buildTasks(prefixed, prefixed.assets),
        getConnection: () => Promise.resolve(adapter),
        workers: 1,
        interval: DAY,
      });
      expect(statuses(result)).toEqual({
        [`dev_${ns}.events`]: "succeeded",
        [`dev_${ns}.summary`]: "succeeded",
        [`dev_${ns}.summary:n:not_null`]: "succeeded",
      });
    } finally {
      await adapter.close();
    }
    const { rows } = await admin().query(`SELECT origin, n FROM dev_${ns}.summary`);
    expect(rows.map((r) => [r.origin, Number(r.n)])).toEqual([["dev", 2]]);
    const unprefixed = await admin().query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${ns}' ORDER BY table_name`,
    );
    expect(unprefixed.rows).toEqual([{ table_name: "source" }]);
  });
});
