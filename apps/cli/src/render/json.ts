import type { RunEvent, RunResult } from "@bruin-ts/pipeline";
import { formatInstant, type Interval } from "../interval.js";
import type { Printer } from "../io.js";
import type { RunRenderer } from "./types.js";

/**
 * `--output json`: stdout carries nothing but one JSON document, printed at
 * the end (through the redactor, like everything else). Reasons a run could
 * not start go to stderr as well.
 */
export class JsonRenderer implements RunRenderer {
  #pipeline: string | undefined;
  #interval: Interval | undefined;

  constructor(private readonly printer: Printer) {}

  start(info: { pipeline: string; interval: Interval }): void {
    this.#pipeline = info.pipeline;
    this.#interval = info.interval;
  }

  note(): void {}
  query(): void {}
  event(_event: RunEvent): void {}

  finish(result: RunResult): void {
    const count = (kind: "asset" | "check", status: string) =>
      result.tasks.filter((t) => (t.task.kind === "asset") === (kind === "asset") && t.status === status).length;
    const totals = (kind: "asset" | "check") => ({
      succeeded: count(kind, "succeeded"),
      failed: count(kind, "failed"),
      upstream_failed: count(kind, "upstream_failed"),
      skipped: count(kind, "skipped"),
    });
    this.#print({
      ...this.#header(),
      status: result.ok ? "succeeded" : "failed",
      started_at: result.startedAt.toISOString(),
      duration_ms: Math.round(result.durationMs),
      tasks: result.tasks.map((outcome) => ({
        id: outcome.task.id,
        asset: outcome.task.assetName,
        kind: outcome.task.kind,
        status: outcome.status,
        started_at: outcome.startedAt?.toISOString() ?? null,
        duration_ms: Math.round(outcome.durationMs),
        error: outcome.error ?? null,
      })),
      totals: { assets: totals("asset"), checks: totals("check") },
    });
  }

  fail(lines: string[], exitCode: number): void {
    for (const line of lines) this.printer.err(line);
    this.#print({ ...this.#header(), status: "error", exit_code: exitCode, errors: lines, tasks: [] });
  }

  #header() {
    return {
      pipeline: this.#pipeline ?? null,
      interval: this.#interval
        ? { start: formatInstant(this.#interval.start), end: formatInstant(this.#interval.end) }
        : null,
    };
  }

  #print(document: Record<string, unknown>): void {
    this.printer.out(JSON.stringify(document, null, 2));
  }
}
