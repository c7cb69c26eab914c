import { openConnection, type ConnectionAdapter } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import type { RunResult } from "./model.js";
import { runPipeline } from "./run.js";
import type { SensorMode } from "./sensor.js";
import { validatePipeline } from "./validate.js";
import { DAY, DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

async function runWithSensors(p: DuckDBPipeline, sensorMode?: SensorMode): Promise<RunResult> {
  const { pipeline } = await loadPipeline(p.root);
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
      workers: 2,
      interval: DAY,
      ...(sensorMode ? { sensorMode } : {}),
    });
  } finally {
    await Promise.all(opened.map((a) => a.close()));
  }
}

const base = sqlAsset("name: base\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS ready");
const after = (upstream: string) => sqlAsset(`name: after\ntype: duckdb.sql\ndepends: [${upstream}]`, "SELECT 1");

describe("sensors on DuckDB", () => {
  it("once (the default): a query sensor is met when its first value is true, a table sensor when the table exists", async () => {
    const p = new DuckDBPipeline().write({
      "assets/base.sql": base,
      "assets/ready.asset.yml":
        "name: ready\ntype: duckdb.sensor.query\ndepends: [base]\nparameters:\n  query: SELECT count(*) > 0 FROM base WHERE ready = {{ var.flag }}\n",
      "assets/has_base.asset.yml":
        "name: has_base\ntype: duckdb.sensor.table\ndepends: [base]\nparameters: {table: base}\n",
      "assets/after.sql": after("ready"),
    });
    p.write({ "pipeline.yml": "name: test\nvariables:\n  flag: {type: integer, default: 1}\n" });
    const result = await runWithSensors(p);
    expect(statuses(result)).toEqual({
      base: "succeeded",
      ready: "succeeded",
      has_base: "succeeded",
      after: "succeeded",
    });
  });

  it("once: an unmet sensor fails its asset and holds back its downstream", async () => {
    const p = new DuckDBPipeline().write({
      "assets/ready.asset.yml": "name: ready\ntype: duckdb.sensor.query\nparameters: {query: SELECT 1 WHERE false}\n",
      "assets/orders.asset.yml": "name: orders\ntype: duckdb.sensor.table\nparameters: {table: raw.orders}\n",
      "assets/after.sql": after("ready"),
    });
    const result = await runWithSensors(p, "once");
    expect(statuses(result)).toEqual({ ready: "failed", orders: "failed", after: "upstream_failed" });
    expect(errorOf(result, "ready")).toBe("sensor 'ready' is not met: the query returned no true value");
    expect(errorOf(result, "orders")).toBe("sensor 'orders' is not met: table 'raw.orders' does not exist");
  });

  it("skip: sensors succeed without poking", async () => {
    const p = new DuckDBPipeline().write({
      "assets/ready.asset.yml": "name: ready\ntype: duckdb.sensor.query\nparameters: {query: SELECT * FROM nowhere}\n",
      "assets/after.sql": after("ready"),
    });
    expect(statuses(await runWithSensors(p, "skip"))).toEqual({ ready: "succeeded", after: "succeeded" });
  });

  it("wait: pokes every poke interval until the condition holds", async () => {
    const p = new DuckDBPipeline().write({
      "assets/seq.sql": sqlAsset("name: seq\ntype: duckdb.sql", "CREATE SEQUENCE pokes START 1"),
      "assets/ready.asset.yml":
        "name: ready\ntype: duckdb.sensor.query\ndepends: [seq]\nparameters:\n  query: SELECT nextval('pokes') >= 3\n  poke_interval: 50ms\n",
      "assets/after.sql": after("ready"),
    });
    const result = await runWithSensors(p, "wait");
    expect(statuses(result)).toEqual({ seq: "succeeded", ready: "succeeded", after: "succeeded" });
    // Met at the third poke: two poke intervals passed first.
    expect(result.tasks.find((t) => t.task.id === "ready")!.durationMs).toBeGreaterThanOrEqual(90);
  });

  it("wait: a sensor still unmet at its timeout fails (parameters.timeout, else the asset's timeout)", async () => {
    const p = new DuckDBPipeline().write({
      "assets/a.asset.yml":
        "name: a\ntype: duckdb.sensor.query\nparameters: {query: SELECT false, poke_interval: 50ms, timeout: 200ms}\n",
      "assets/b.asset.yml":
        "name: b\ntype: duckdb.sensor.table\ntimeout: 150ms\nparameters: {table: missing, poke_interval: 50ms}\n",
    });
    const started = Date.now();
    const result = await runWithSensors(p, "wait");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(statuses(result)).toEqual({ a: "failed", b: "failed" });
    expect(errorOf(result, "a")).toBe("sensor 'a' timed out after 200ms: the query returned no true value");
    expect(errorOf(result, "b")).toBe("sensor 'b' timed out after 150ms: table 'missing' does not exist");
  });

  it("need their parameters (load problems naming the file), and a query sensor's query is validated as a template", async () => {
    const p = new DuckDBPipeline().write({
      "assets/q.asset.yml": "name: q\ntype: duckdb.sensor.query\n",
      "assets/t.asset.yml": "name: t\ntype: pg.sensor.table\nparameters: {poke_interval: soon}\n",
    });
    const { issues } = await loadPipeline(p.root, { collectIssues: true });
    expect(issues).toEqual([
      expect.stringMatching(/^asset 'q' \(.*assets\/q\.asset\.yml\): a query sensor needs 'parameters\.query'$/),
      expect.stringMatching(/^asset 't' \(.*assets\/t\.asset\.yml\): a table sensor needs 'parameters\.table'$/),
      expect.stringMatching(
        /^asset 't' \(.*assets\/t\.asset\.yml\): 'parameters\.poke_interval' must be a duration such as 30s, 5m or 1h$/,
      ),
    ]);

    const ok = new DuckDBPipeline().write({
      "assets/q.asset.yml": "name: q\ntype: duckdb.sensor.query\nparameters: {query: 'SELECT {{ var.nope }}'}\n",
    });
    const { pipeline } = await loadPipeline(ok.root);
    const { issues: invalid } = await validatePipeline(pipeline, pipeline.assets);
    expect(invalid).toEqual([expect.stringMatching(/^asset 'q': failed to render the query .*q\.asset\.yml/)]);
  });
});
