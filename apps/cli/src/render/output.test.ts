import type { RunResult, Task, TaskStatus } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Printer, type CliIO } from "../io.js";
import { JsonRenderer } from "./json.js";
import { LiveRenderer, inCI, isInteractive } from "./live.js";
import { PlainRenderer } from "./plain.js";

function fakeIO(options: { stdoutTTY?: boolean; stderrTTY?: boolean; env?: Record<string, string> } = {}) {
  const written = { stdout: "", stderr: "" };
  const io: CliIO = {
    stdout: { write: (text: string) => (written.stdout += text), isTTY: options.stdoutTTY === true },
    stderr: { write: (text: string) => (written.stderr += text), isTTY: options.stderrTTY === true },
    env: options.env ?? {},
    cwd: "/",
  };
  return { io, written };
}

describe("colour", () => {
  const cases: Array<[string, { tty: boolean; env?: Record<string, string>; flag?: boolean }, boolean]> = [
    ["a terminal", { tty: true }, true],
    ["a pipe", { tty: false }, false],
    ["a terminal, NO_COLOR=1", { tty: true, env: { NO_COLOR: "1" } }, false],
    ["a terminal, NO_COLOR empty (unset by convention)", { tty: true, env: { NO_COLOR: "" } }, true],
    ["a terminal, TERM=dumb", { tty: true, env: { TERM: "dumb" } }, false],
    ["a terminal, --no-color", { tty: true, flag: false }, false],
    ["a pipe, --color", { tty: false, flag: true }, true],
    ["a pipe, FORCE_COLOR=1", { tty: false, env: { FORCE_COLOR: "1" } }, true],
    ["a pipe, FORCE_COLOR empty", { tty: false, env: { FORCE_COLOR: "" } }, true],
    ["a terminal, FORCE_COLOR=0", { tty: true, env: { FORCE_COLOR: "0" } }, false],
    ["a pipe, FORCE_COLOR=1 and --no-color", { tty: false, env: { FORCE_COLOR: "1" }, flag: false }, false],
    ["a terminal, NO_COLOR=1 and --color", { tty: true, env: { NO_COLOR: "1" }, flag: true }, true],
  ];
  it.each(cases)("on %s: %s", (_name, setting, expected) => {
    const { io } = fakeIO({ stdoutTTY: setting.tty, ...(setting.env ? { env: setting.env } : {}) });
    const printer = new Printer(io, new Redactor(), setting.flag === undefined ? {} : { color: setting.flag });
    expect(printer.color).toBe(expected);
    expect(printer.paint("red", "x")).toBe(expected ? "\u001b[31mx\u001b[0m" : "x");
  });
});

describe("the live line", () => {
  afterEach(() => vi.useRealTimers());

  it("is for an interactive terminal only: both streams on a terminal, TERM not dumb, not CI", () => {
    const interactive = (stdoutTTY: boolean, stderrTTY: boolean, env: Record<string, string> = {}) =>
      isInteractive(fakeIO({ stdoutTTY, stderrTTY, env }).io);
    expect(interactive(true, true)).toBe(true);
    expect(interactive(false, true)).toBe(false); // bruin run > run.log
    expect(interactive(true, false)).toBe(false);
    expect(interactive(true, true, { TERM: "dumb" })).toBe(false);
    expect(interactive(true, true, { CI: "true" })).toBe(false);
    expect(interactive(true, true, { CI: "1" })).toBe(false);
    expect(interactive(true, true, { CI: "false" })).toBe(true);
    expect(interactive(true, true, { CI: "0" })).toBe(true);
    expect(interactive(true, true, { CI: "" })).toBe(true);
    expect(inCI({ CI: "yes" })).toBe(true);
  });

  it("shows how long a long-running task has been running", () => {
    vi.useFakeTimers({ now: new Date("2024-01-01T00:00:00Z") });
    const { io, written } = fakeIO({ stdoutTTY: true, stderrTTY: true });
    const live = new LiveRenderer(new Printer(io, new Redactor()), io);
    live.expect(2);
    live.event({ type: "task-start", task: fakeTask("slow"), startedAt: new Date() });
    expect(lastLine(written.stderr)).toMatch(/0\/2 tasks done · running: slow$/);
    vi.advanceTimersByTime(4_200);
    live.event({ type: "task-start", task: fakeTask("quick"), startedAt: new Date() });
    expect(lastLine(written.stderr)).toMatch(/0\/2 tasks done · running: slow \(4s\), quick$/);
    vi.advanceTimersByTime(61_000);
    expect(lastLine(written.stderr)).toMatch(/running: slow \(1m05s\), quick \(1m01s\)$/);
    live.finish(result([]), { exitCode: 0, interrupted: false });
  });
});

describe("the live line's width", () => {
  it("fits a narrow terminal, and takes 100 columns where the terminal says 0", () => {
    for (const [columns, limit] of [
      [30, 29],
      [0, 99],
    ] as const) {
      const { io, written } = fakeIO({ stdoutTTY: true, stderrTTY: true });
      (io.stderr as { columns?: number }).columns = columns;
      const live = new LiveRenderer(new Printer(io, new Redactor()), io);
      live.expect(1);
      live.event({
        type: "task-start",
        task: fakeTask("a_task_with_a_rather_long_name_that_goes_on_and_on_and_on_for_quite_a_while_longer"),
        startedAt: new Date(),
      });
      const line = lastLine(written.stderr);
      expect(line.length).toBe(limit);
      expect(line).toMatch(/^. 0\/1 tasks done · running: a/);
      live.finish(result([]), { exitCode: 0, interrupted: false });
    }
  });
});

describe("plain and JSON output of one run", () => {
  const outcomes: Array<[string, "asset" | "column-check", TaskStatus]> = [
    ["a", "asset", "succeeded"],
    ["a", "column-check", "succeeded"],
    ["a", "column-check", "failed"],
    ["b", "asset", "failed"],
    ["c", "asset", "upstream_failed"],
    ["c", "column-check", "upstream_failed"],
    ["d", "asset", "skipped"],
    ["e", "asset", "succeeded"],
  ];
  const run = result(
    outcomes.map(([asset, kind, status], i) => ({
      task: fakeTask(`${asset}:${i}`, asset, kind),
      status,
      durationMs: 1,
      ...(status === "failed" ? { error: "Error: boom\n  at line 2" } : {}),
    })),
  );

  it("count every status alike", () => {
    const plain = fakeIO();
    new PlainRenderer(new Printer(plain.io, new Redactor()), false).finish(run, { exitCode: 1, interrupted: false });
    expect(plain.written.stdout).toMatch(/^CHECKS FAILED a \.F$/m);
    expect(plain.written.stdout).toMatch(/^FAIL b$/m);
    expect(plain.written.stdout).toMatch(/^UPSTREAM FAILED c U$/m);
    expect(plain.written.stdout).toMatch(/^SKIPPED d$/m);
    expect(plain.written.stdout).toMatch(/^PASS e$/m);
    expect(plain.written.stdout).toContain(
      "One mark per quality check: . passed, F failed, U upstream failed, S skipped.",
    );
    expect(plain.written.stdout).toMatch(
      /✗ Assets executed\s+1 failed \/ 2 succeeded \/ 1 upstream failed \/ 1 skipped$/m,
    );
    expect(plain.written.stdout).toMatch(/✗ Quality checks\s+1 failed \/ 1 succeeded \/ 1 upstream failed$/m);

    const json = fakeIO();
    new JsonRenderer(new Printer(json.io, new Redactor())).finish(run, { exitCode: 1, interrupted: false });
    const document = JSON.parse(json.written.stdout);
    expect(document.totals).toEqual({
      assets: { succeeded: 2, failed: 1, upstream_failed: 1, skipped: 1 },
      checks: { succeeded: 1, failed: 1, upstream_failed: 1, skipped: 0 },
    });
    expect(document.status).toBe("failed");
    expect(document.exit_code).toBe(1);
    expect(document.tasks.find((t: { status: string }) => t.status === "failed").error).toBe("boom\nat line 2");
  });

  it("say interrupted when the run was", () => {
    const json = fakeIO();
    new JsonRenderer(new Printer(json.io, new Redactor())).finish(run, { exitCode: 130, interrupted: true });
    expect(JSON.parse(json.written.stdout)).toMatchObject({ status: "interrupted", exit_code: 130 });
    const plain = fakeIO();
    new PlainRenderer(new Printer(plain.io, new Redactor()), false).finish(run, { exitCode: 130, interrupted: true });
    expect(plain.written.stdout).toMatch(
      /bruin run was interrupted after \d+ms: tasks that had not started were skipped/,
    );
  });

  it("give an error document totals and bare messages", () => {
    const json = fakeIO();
    new JsonRenderer(new Printer(json.io, new Redactor())).fail(
      ["Error: the pipeline has 2 problems:", "  - one", "  - two"],
      1,
    );
    const document = JSON.parse(json.written.stdout);
    expect(document).toMatchObject({
      status: "error",
      exit_code: 1,
      tasks: [],
      errors: ["the pipeline has 2 problems:", "one", "two"],
    });
    expect(document.totals).toEqual({
      assets: { succeeded: 0, failed: 0, upstream_failed: 0, skipped: 0 },
      checks: { succeeded: 0, failed: 0, upstream_failed: 0, skipped: 0 },
    });
  });
});

describe("the plain header", () => {
  it("says 1 asset, and the interval to the microsecond", () => {
    const { io, written } = fakeIO();
    const interval = {
      start: new Date("2024-01-01T10:00:00.123Z"),
      end: new Date("2024-01-01T11:00:00.654Z"),
      startMicros: 0,
      endMicros: 321,
    };
    new PlainRenderer(new Printer(io, new Redactor()), false).start({ pipeline: "p", assets: 1, interval });
    expect(written.stdout).toContain("Analyzed the pipeline 'p' with 1 asset.");
    expect(written.stdout).toContain("Interval: 2024-01-01T10:00:00.123000Z - 2024-01-01T11:00:00.654321Z");
  });
});

function fakeTask(id: string, asset = id, kind: "asset" | "column-check" = "asset"): Task {
  return { id, assetName: asset, kind, upstream: [] } as unknown as Task;
}

function result(tasks: RunResult["tasks"]): RunResult {
  return { startedAt: new Date(), tasks, ok: tasks.every((t) => t.status === "succeeded"), durationMs: 12 };
}

function lastLine(stderr: string): string {
  const parts = stderr.split("\r\u001b[K").filter(Boolean);
  return parts[parts.length - 1] ?? "";
}
