import type { RunResult, TaskStatus } from "@bruin-ts/pipeline";
import type { Color, Printer } from "./io.js";

type TaskOutcome = RunResult["tasks"][number];

/** How many tasks ended in each status. */
export type StatusCounts = Record<TaskStatus, number>;

/** The counts of a run, for assets and for quality checks: plain and JSON output print these same numbers. */
export function runTotals(result: Pick<RunResult, "tasks">): { assets: StatusCounts; checks: StatusCounts } {
  const assets: StatusCounts = { succeeded: 0, failed: 0, upstream_failed: 0, skipped: 0 };
  const checks: StatusCounts = { succeeded: 0, failed: 0, upstream_failed: 0, skipped: 0 };
  for (const outcome of result.tasks) (outcome.task.kind === "asset" ? assets : checks)[outcome.status]++;
  return { assets, checks };
}

/** `1 asset`, `2 assets`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

const CHECK_MARK: Record<TaskStatus, string> = { succeeded: ".", failed: "F", upstream_failed: "U", skipped: "S" };
const LEGEND = "One mark per quality check: . passed, F failed, U upstream failed, S skipped.";

/** The label of an asset's line: its own status, or its checks' when it has none of its own (`--only checks`). */
function assetLabel(main: TaskOutcome | undefined, checks: readonly TaskOutcome[]): { text: string; color: Color } {
  const status = main?.status;
  if (status === "failed") return { text: "FAIL", color: "red" };
  if (status === "upstream_failed") return { text: "UPSTREAM FAILED", color: "yellow" };
  if (status === "skipped") return { text: "SKIPPED", color: "yellow" };
  if (checks.some((check) => check.status === "failed")) return { text: "CHECKS FAILED", color: "red" };
  if (!main && checks.length > 0 && checks.every((check) => check.status === "upstream_failed")) {
    return { text: "UPSTREAM FAILED", color: "yellow" };
  }
  if (!main && checks.length > 0 && checks.every((check) => check.status !== "succeeded"))
    return { text: "SKIPPED", color: "yellow" };
  return { text: "PASS", color: "green" };
}

/** The block after the run: one line per asset with a mark per check and a legend for them, then the totals. */
export function printSummary(result: RunResult, printer: Printer, interrupted = false): void {
  const byAsset = new Map<string, { main?: TaskOutcome; checks: TaskOutcome[] }>();
  for (const outcome of result.tasks) {
    const entry = byAsset.get(outcome.task.assetName) ?? { checks: [] };
    if (outcome.task.kind === "asset") entry.main = outcome;
    else entry.checks.push(outcome);
    byAsset.set(outcome.task.assetName, entry);
  }

  printer.out();
  printer.out("=".repeat(50));
  printer.out();
  let marked = false;
  for (const [name, { main, checks }] of byAsset) {
    const marks = checks.map((check) => CHECK_MARK[check.status]).join("");
    marked ||= marks.length > 0;
    const label = assetLabel(main, checks);
    printer.out(`${printer.paint(label.color, label.text)} ${name}${marks ? ` ${marks}` : ""}`);
  }
  if (marked) {
    printer.out();
    printer.out(printer.paint("gray", LEGEND));
  }

  const failed = result.tasks.filter((outcome) => outcome.status === "failed" && outcome.error);
  if (failed.length > 0) {
    printer.out();
    printer.out("Errors:");
    for (const outcome of failed) printer.out(`  ${outcome.task.id}: ${printer.mask(outcome.error!).split("\n")[0]}`);
  }

  printer.out();
  const seconds = formatDuration(result.durationMs);
  if (interrupted) printer.out(`bruin run was interrupted after ${seconds}: tasks that had not started were skipped`);
  else if (result.ok) printer.out(`bruin run completed successfully in ${seconds}`);
  else printer.out(`bruin run completed with failures in ${seconds}`);
  printer.out();
  const totals = runTotals(result);
  printer.out(totalsLine("Assets executed", totals.assets, printer));
  const checkCount = Object.values(totals.checks).reduce((sum, n) => sum + n, 0);
  if (checkCount > 0) printer.out(totalsLine("Quality checks", totals.checks, printer));
}

function totalsLine(label: string, counts: StatusCounts, printer: Printer): string {
  const parts: string[] = [];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  parts.push(`${counts.succeeded} succeeded`);
  if (counts.upstream_failed > 0) parts.push(`${counts.upstream_failed} upstream failed`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  const mark =
    counts.failed + counts.upstream_failed > 0
      ? printer.paint("red", "✗")
      : counts.skipped > 0
        ? printer.paint("yellow", "-")
        : printer.paint("green", "✓");
  return ` ${mark} ${label.padEnd(20)} ${parts.join(" / ")}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** `12s`, `3m05s`: how long a task has been running, for the live line. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${Math.floor(ms / 1000)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, "0")}s`;
}
