import type { RunEvent, RunResult } from "@bruin-ts/pipeline";
import type { Interval } from "../interval.js";

/** How a run that got to execute its tasks ended. */
export interface RunEnd {
  exitCode: number;
  /** Ctrl-C or SIGTERM: the running tasks finished, the others were skipped. */
  interrupted: boolean;
}

/** What `bruin run` tells the user, whatever the form: plain lines, a live line on a terminal, or one JSON document. */
export interface RunRenderer {
  /** The pipeline was parsed and the interval is known. */
  start(info: { pipeline: string; assets: number; interval: Interval }): void;
  /** Free text shown to people only (nothing in JSON). */
  note(line: string): void;
  /** A rendered query, with --verbose. */
  query(task: string, sql: string): void;
  /** A line a Python or R asset printed (stdout or stderr), not yet masked. */
  output(task: string, line: string): void;
  event(event: RunEvent): void;
  finish(result: RunResult, end: RunEnd): void;
  /** The run could not start or stopped early; `lines` says why. */
  fail(lines: string[], exitCode: number): void;
}
