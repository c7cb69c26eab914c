import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { runPipeline } from "./run.js";
import { makeAsset, makePipeline } from "./test-support/assets.js";
import { DAY } from "./test-support/duckdb-run.js";
import { recordingAdapter } from "./test-support/recording-adapter.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_run");

describe("runPipeline on PostgreSQL", () => {
  it("builds a Postgres table atomically: new table, drop, rename, in one transaction", async () => {
    const asset = makeAsset(`${schema}.revenue`, {
      type: "pg.sql",
      platform: "postgres",
      materialization: { type: "table", strategy: "create+replace" },
      query: "SELECT 1 AS x;\n",
    });
    const pipeline = makePipeline([asset]);
    const real = await openLocalServer("postgres", "pg");
    try {
      const { adapter, log } = recordingAdapter(real);
      const result = await runPipeline({
        pipeline,
        tasks: buildTasks(pipeline, [asset]),
        getConnection: async () => adapter,
        workers: 1,
        interval: DAY,
      });
      expect(result.ok).toBe(true);
      expect(log[0]).toBe(`exec: CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const transaction = log.slice(log.indexOf("BEGIN") + 1, log.indexOf("COMMIT"));
      expect(transaction).toHaveLength(3);
      expect(transaction[0]).toMatch(
        new RegExp(`^CREATE TABLE "${schema}"\\."__bruin_tmp_[0-9a-f]{12}" AS\\nSELECT 1 AS x$`),
      );
      expect(transaction[1]).toBe(`DROP TABLE IF EXISTS "${schema}"."revenue"`);
      expect(transaction[2]).toMatch(
        new RegExp(`^ALTER TABLE "${schema}"\\."__bruin_tmp_[0-9a-f]{12}" RENAME TO "revenue"$`),
      );
      expect((await admin().query(`SELECT x FROM ${schema}.revenue`)).rows).toEqual([{ x: 1 }]);
    } finally {
      await real.close();
    }
  });
});
