import type { RunEvent, RunResult } from "@bruin-ts/pipeline";
import { formatInstant, intervalInstants, type Interval } from "../interval.js";
import type { Printer } from "../io.js";
import { runTotals } from "../summary.js";
import type { RunEnd, RunRenderer } from "./types.js";

/**
 * `--output json`: stdout carries nothing but one JSON document, printed at
 * the end (through the redactor, like everything else). Reasons a run could
 * not start go to stderr as well.
 *
 * Every document has the same keys: `pipeline`, `interval`, `status`
 * (`succeeded`, `failed`, `interrupted` or `error` when the run could not
 * start), `exit_code`, `started_at`, `duration_ms`, `tasks`, `totals` (the
 * counts the plain summary prints) and `errors`. Error strings are messages
 * only: no `Error: ` prefix, no indentation.
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
  /** A code asset's output goes to stderr: stdout holds the document only. */
  output(task: string, line: string): void {
    this.printer.err(`[${task}] >> ${this.printer.mask(line)}`);
  }
  event(_event: RunEvent): void {}

  finish(result: RunResult, end: RunEnd): void {
    this.#print({
      ...this.#header(),
      status: end.interrupted ? "interrupted" : result.ok ? "succeeded" : "failed",
      exit_code: end.exitCode,
      started_at: result.startedAt.toISOString(),
      duration_ms: Math.round(result.durationMs),
      tasks: result.tasks.map((outcome) => ({
        id: outcome.task.id,
        asset: outcome.task.assetName,
        kind: outcome.task.kind,
        status: outcome.status,
        started_at: outcome.startedAt?.toISOString() ?? null,
        duration_ms: Math.round(outcome.durationMs),
        error: outcome.error === undefined ? null : cleanMessage(this.printer.mask(outcome.error)),
      })),
      totals: runTotals(result),
      errors: [],
    });
  }

  fail(lines: string[], exitCode: number): void {
    for (const line of lines) this.printer.err(line);
    this.#print({
      ...this.#header(),
      status: "error",
      exit_code: exitCode,
      started_at: null,
      duration_ms: 0,
      tasks: [],
      totals: runTotals({ tasks: [] }),
      errors: lines.map((line) => cleanLine(this.printer.mask(line))).filter((line) => line !== ""),
    });
  }

  #header() {
    const instants = this.#interval ? intervalInstants(this.#interval) : undefined;
    return {
      pipeline: this.#pipeline ?? null,
      interval: instants ? { start: formatInstant(instants.start), end: formatInstant(instants.end) } : null,
    };
  }

  #print(document: Record<string, unknown>): void {
    this.printer.out(JSON.stringify(document, null, 2));
  }
}

/** A printed line as a bare message: without its indentation, list dash or `Error: ` prefix. */
function cleanLine(line: string): string {
  return line
    .replace(/^\s*(?:-\s+)?/, "")
    .replace(/^Error:\s*/, "")
    .trimEnd();
}

/** A task's error, each of its lines cleaned. */
function cleanMessage(message: string): string {
  return message
    .split("\n")
    .map(cleanLine)
    .filter((line) => line !== "")
    .join("\n");
}
