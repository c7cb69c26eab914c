import { openLocalServer } from "@bruin-ts/test-servers";
import { afterAll, describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import { runPipeline } from "./run.js";
import { DAY, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: db, admin } = scratchNamespace("mysql", "bruin_sp");
afterAll(async () => {
  await admin().exec(`DROP DATABASE IF EXISTS dev_${db}`);
});

describe("schema_prefix on MySQL/MariaDB", () => {
  it("builds the assets in prefixed databases, reading each other's and prefixed copies of outside tables", async () => {
    await admin().exec(`CREATE DATABASE IF NOT EXISTS ${db}`);
    await admin().exec(`CREATE DATABASE IF NOT EXISTS dev_${db}`);
    await admin().exec(`CREATE TABLE ${db}.source AS SELECT 'prod' AS origin`);
    await admin().exec(`CREATE TABLE dev_${db}.source AS SELECT 'dev' AS origin`);
    const root = writeTree(scratchDir("bruin-sp-"), {
      "pipeline.yml": "name: sp\nschema_prefix: dev_\ndefault_connections:\n  mysql: my\n",
      "assets/events.sql": sqlAsset(
        `name: ${db}.events\ntype: my.sql\nmaterialization: {type: table}`,
        `SELECT origin, 1 AS n FROM ${db}.source UNION ALL SELECT origin, 2 FROM ${db}.source`,
      ),
      "assets/summary.sql": sqlAsset(
        `name: ${db}.summary\ntype: my.sql\ndepends: [${db}.events]\nmaterialization: {type: table}`,
        `SELECT origin, count(*) AS n FROM ${db}.events GROUP BY origin`,
      ),
    });
    const { pipeline } = await loadPipeline(root);
    const adapter = await openLocalServer("mysql", "my");
    try {
      const result = await runPipeline({
        pipeline,
        tasks: buildTasks(pipeline, pipeline.assets),
        getConnection: () => Promise.resolve(adapter),
        workers: 1,
        interval: DAY,
      });
      expect(statuses(result)).toEqual({ [`dev_${db}.events`]: "succeeded", [`dev_${db}.summary`]: "succeeded" });
    } finally {
      await adapter.close();
    }
    const { rows } = await admin().query(`SELECT origin, n FROM dev_${db}.summary`);
    expect(rows.map((r) => [r.origin, Number(r.n)])).toEqual([["dev", 2]]);
    const unprefixed = await admin().query(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${db}' ORDER BY table_name`,
    );
    expect(unprefixed.rows).toEqual([{ t: "source" }]);
  });
});
