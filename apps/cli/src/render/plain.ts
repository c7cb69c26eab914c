import type { RunEvent, RunResult } from "@bruin-ts/pipeline";
import { formatInstant, intervalInstants, type Interval } from "../interval.js";
import type { Printer } from "../io.js";
import { plural, printSummary } from "../summary.js";
import type { RunEnd, RunRenderer } from "./types.js";

/** One line per event, as CI logs and redirected output want them: `[12:00:01] Running:  raw.orders`. */
export class PlainRenderer implements RunRenderer {
  constructor(
    private readonly printer: Printer,
    private readonly timestamps: boolean,
  ) {}

  start(info: { pipeline: string; assets: number; interval: Interval }): void {
    const { start, end } = intervalInstants(info.interval);
    this.printer.out(`Analyzed the pipeline '${info.pipeline}' with ${plural(info.assets, "asset")}.`);
    this.printer.out();
    this.printer.out(`Interval: ${formatInstant(start)} - ${formatInstant(end)}`);
    this.printer.out();
  }

  note(line: string): void {
    this.printer.out(line);
  }

  query(task: string, sql: string): void {
    this.printer.out(`${this.stamp()}Query of ${task}:`);
    for (const line of this.printer.mask(sql).split("\n")) this.printer.out(`    ${line}`);
  }

  output(task: string, line: string): void {
    this.printer.out(`${this.stamp()}[${task}] >> ${this.printer.mask(line)}`);
  }

  event(event: RunEvent): void {
    if (event.type === "task-start") {
      this.printer.out(`${this.stamp()}Running:  ${event.task.id}`);
      return;
    }
    const seconds = `(${(event.durationMs / 1000).toFixed(2)}s)`;
    if (event.status === "succeeded") this.printer.out(`${this.stamp()}Finished: ${event.task.id} ${seconds}`);
    // Skipped after it started: an asset (or its check) whose `enabled:` is false.
    else if (event.status === "skipped" && event.startedAt)
      this.printer.out(`${this.stamp()}Skipped:  ${event.task.id} (enabled: false)`);
    else if (event.status === "failed") {
      this.printer.out(`${this.stamp()}${this.printer.paint("red", "Failed:")}   ${event.task.id} ${seconds}`);
      if (event.error) for (const line of this.printer.mask(event.error).split("\n")) this.printer.out(`  ${line}`);
    }
  }

  finish(result: RunResult, end: RunEnd): void {
    printSummary(result, this.printer, end.interrupted);
  }

  fail(lines: string[]): void {
    for (const line of lines) this.printer.err(line);
  }

  private stamp(): string {
    if (!this.timestamps) return "";
    return `${this.printer.paint("gray", `[${new Date().toISOString().slice(11, 19)}]`)} `;
  }
}
