import { describe, expect, it } from "vitest";
import { runTaskGraph } from "./scheduler.js";

interface T {
  id: string;
  upstream: string[];
}
const t = (id: string, ...upstream: string[]): T => ({ id, upstream });

/** An executor whose tasks finish when the test says so, recording concurrency. */
function controlledExecutor(failing: string[] = []) {
  let active = 0;
  const state = { maxActive: 0, started: [] as string[] };
  const execute = async (task: T) => {
    state.started.push(task.id);
    active++;
    state.maxActive = Math.max(state.maxActive, active);
    await new Promise((r) => setTimeout(r, 2));
    active--;
    if (failing.includes(task.id)) throw new Error(`${task.id} broke`);
  };
  return { execute, state };
}

describe("runTaskGraph", () => {
  it("never runs more than `workers` tasks at once, and uses them all", async () => {
    const tasks = Array.from({ length: 12 }, (_, i) => t(`t${i}`));
    const { execute, state } = controlledExecutor();
    const records = await runTaskGraph(tasks, { workers: 3, execute });
    expect(state.maxActive).toBe(3);
    expect(records.every((r) => r.status === "succeeded")).toBe(true);
  });

  it("starts a task only after its upstreams succeeded", async () => {
    const { execute, state } = controlledExecutor();
    await runTaskGraph([t("c", "b"), t("b", "a"), t("a")], { workers: 4, execute });
    expect(state.started).toEqual(["a", "b", "c"]);
  });

  it("marks everything downstream of a failure upstream_failed, never runs it, and finishes independent branches", async () => {
    const { execute, state } = controlledExecutor(["a"]);
    const finished: string[] = [];
    const records = await runTaskGraph([t("a"), t("b", "a"), t("c", "b"), t("x"), t("y", "x")], {
      workers: 2,
      execute,
      onFinish: (r) => finished.push(`${r.task.id}:${r.status}`),
    });
    expect(records.map((r) => [r.task.id, r.status])).toEqual([
      ["a", "failed"],
      ["b", "upstream_failed"],
      ["c", "upstream_failed"],
      ["x", "succeeded"],
      ["y", "succeeded"],
    ]);
    expect(records[0]!.error).toBe("a broke");
    expect(state.started).not.toContain("b");
    expect(state.started).not.toContain("c");
    expect(finished).toEqual(expect.arrayContaining(["b:upstream_failed", "c:upstream_failed"]));
  });

  it("waits for every upstream, and treats unknown upstream ids as done", async () => {
    const { execute, state } = controlledExecutor();
    await runTaskGraph([t("join", "l", "r", "not-in-run"), t("l"), t("r")], { workers: 1, execute });
    expect(state.started.at(-1)).toBe("join");
  });

  it("starts nothing new once aborted; what did not run is skipped", async () => {
    const controller = new AbortController();
    const execute = async (task: T) => {
      if (task.id === "a") controller.abort();
    };
    const records = await runTaskGraph([t("a"), t("b", "a")], { workers: 1, execute, signal: controller.signal });
    expect(records.map((r) => r.status)).toEqual(["succeeded", "skipped"]);
  });

  it("reports start and duration from the injected clock", async () => {
    let clock = 100;
    const records = await runTaskGraph([t("a")], {
      workers: 1,
      now: () => clock,
      execute: async () => {
        clock += 250;
      },
    });
    expect(records[0]).toMatchObject({ status: "succeeded", durationMs: 250 });
    expect(records[0]!.startedAt).toBeInstanceOf(Date);
  });
});
