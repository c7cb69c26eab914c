import type { ConnectionAdapter } from "@bruin-ts/connections";
import { DIALECTS } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import type { RunEvent } from "./model.js";
import { runPipeline } from "./run.js";
import { makeAsset, makePipeline } from "./test-support/assets.js";
import { DAY } from "./test-support/duckdb-run.js";

/** Records every statement and how many ran at once; a statement containing FAIL throws. */
function recordingAdapter(name = "fake") {
  const log = { statements: [] as string[], maxActive: 0 };
  let active = 0;
  const run = async (sql: string) => {
    log.statements.push(sql);
    active++;
    log.maxActive = Math.max(log.maxActive, active);
    await new Promise((r) => setTimeout(r, 3));
    active--;
    if (sql.includes("FAIL")) throw new Error("syntax error near FAIL");
  };
  const adapter: ConnectionAdapter = {
    name,
    type: "postgres",
    dialect: DIALECTS.postgres,
    query: async (sql) => {
      await run(sql);
      return { columns: ["violations"], rows: [{ violations: 0 }] };
    },
    exec: run,
    transaction: async (statements) => {
      for (const s of statements) await run(s);
    },
    ping: async () => undefined,
    close: async () => undefined,
  };
  return { adapter, log };
}

describe("runPipeline", () => {
  it("honours the worker limit across tasks", async () => {
    const assets = Array.from({ length: 9 }, (_, i) => makeAsset(`a${i}`));
    const pipeline = makePipeline(assets);
    const { adapter, log } = recordingAdapter();
    const result = await runPipeline({
      pipeline,
      tasks: buildTasks(pipeline, assets),
      getConnection: async () => adapter,
      workers: 2,
      interval: DAY,
    });
    expect(result.ok).toBe(true);
    expect(log.statements).toHaveLength(9);
    expect(log.maxActive).toBe(2);
  });

  it("asks for each connection once and emits start/finish events", async () => {
    const a = makeAsset("a", { connection: "one" });
    const b = makeAsset("b", { connection: "one", depends: ["a"], query: "SELECT FAIL" });
    const c = makeAsset("c", { connection: "two", depends: ["b"] });
    const pipeline = makePipeline([a, b, c]);
    const asked: string[] = [];
    const events: RunEvent[] = [];
    const result = await runPipeline({
      pipeline,
      tasks: buildTasks(pipeline, [a, b, c]),
      getConnection: async (name) => {
        asked.push(name);
        return recordingAdapter(name).adapter;
      },
      workers: 4,
      interval: DAY,
      onEvent: (e) => events.push(e),
    });
    expect(asked).toEqual(["one"]);
    expect(result.ok).toBe(false);
    expect(events.map((e) => `${e.type}:${e.task.id}${e.type === "task-finish" ? `:${e.status}` : ""}`)).toEqual([
      "task-start:a",
      "task-finish:a:succeeded",
      "task-start:b",
      "task-finish:b:failed",
      "task-finish:c:upstream_failed",
    ]);
    const failed = events.find((e) => e.type === "task-finish" && e.status === "failed");
    expect(failed).toMatchObject({ error: "syntax error near FAIL" });
  });

  it("reports when the run and each task started, how long they took, and the errors", async () => {
    const a = makeAsset("a");
    const b = makeAsset("b", { query: "SELECT FAIL" });
    const c = makeAsset("c", { depends: ["b"] });
    const pipeline = makePipeline([a, b, c]);
    const before = Date.now();
    const result = await runPipeline({
      pipeline,
      tasks: buildTasks(pipeline, [a, b, c]),
      getConnection: async () => recordingAdapter().adapter,
      workers: 2,
      interval: DAY,
    });
    expect(result.startedAt).toBeInstanceOf(Date);
    expect(result.startedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.durationMs).toBeGreaterThan(0);
    const [ta, tb, tc] = result.tasks;
    expect(ta!.startedAt!.getTime()).toBeGreaterThanOrEqual(result.startedAt.getTime());
    expect(ta!.durationMs).toBeGreaterThan(0);
    expect(tb).toMatchObject({ status: "failed", error: "syntax error near FAIL" });
    expect(tc).toMatchObject({ status: "upstream_failed", durationMs: 0 });
    expect(tc!.startedAt).toBeUndefined();
  });

  it("runs an asset without materialization as a script, skipping one that holds only comments", async () => {
    const script = makeAsset("script", { query: "-- nothing here;\n/* nor; here */" });
    const pipeline = makePipeline([script]);
    const { adapter, log } = recordingAdapter();
    expect(
      (
        await runPipeline({
          pipeline,
          tasks: buildTasks(pipeline, [script]),
          getConnection: async () => adapter,
          workers: 1,
          interval: DAY,
        })
      ).ok,
    ).toBe(true);
    expect(log.statements).toEqual([]);
  });
});
