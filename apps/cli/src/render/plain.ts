import type { RunEvent, RunResult } from "@bruin-ts/pipeline";
import { formatInstant, type Interval } from "../interval.js";
import type { Printer } from "../io.js";
import { printSummary } from "../summary.js";
import type { RunRenderer } from "./types.js";

/** One line per event, as CI logs want them: `[12:00:01] Running:  raw.orders`. */
export class PlainRenderer implements RunRenderer {
  constructor(
    private readonly printer: Printer,
    private readonly timestamps: boolean,
  ) {}

  start(info: { pipeline: string; assets: number; interval: Interval }): void {
    this.printer.out(`Analyzed the pipeline '${info.pipeline}' with ${info.assets} assets.`);
    this.printer.out();
    this.printer.out(`Interval: ${formatInstant(info.interval.start)} - ${formatInstant(info.interval.end)}`);
    this.printer.out();
  }

  note(line: string): void {
    this.printer.out(line);
  }

  query(task: string, sql: string): void {
    this.printer.out(`${this.stamp()}Query of ${task}:`);
    for (const line of sql.split("\n")) this.printer.out(`    ${line}`);
  }

  event(event: RunEvent): void {
    if (event.type === "task-start") {
      this.printer.out(`${this.stamp()}Running:  ${event.task.id}`);
      return;
    }
    const seconds = `(${(event.durationMs / 1000).toFixed(2)}s)`;
    if (event.status === "succeeded") this.printer.out(`${this.stamp()}Finished: ${event.task.id} ${seconds}`);
    else if (event.status === "failed") {
      this.printer.out(`${this.stamp()}${this.printer.paint("red", "Failed:")}   ${event.task.id} ${seconds}`);
      if (event.error) for (const line of event.error.split("\n")) this.printer.out(`  ${line}`);
    }
  }

  finish(result: RunResult): void {
    printSummary(result, this.printer);
  }

  fail(lines: string[]): void {
    for (const line of lines) this.printer.err(line);
  }

  private stamp(): string {
    if (!this.timestamps) return "";
    return `${this.printer.paint("gray", `[${new Date().toISOString().slice(11, 19)}]`)} `;
  }
}
