import type { RunResult } from "@bruin-ts/pipeline";
import type { Printer } from "./io.js";

type TaskOutcome = RunResult["tasks"][number];

const CHECK_MARK: Record<string, string> = { succeeded: ".", failed: "F", upstream_failed: "U", skipped: "U" };

/** The block after the run: one line per asset with a character per check, then the totals. */
export function printSummary(result: RunResult, printer: Printer): void {
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
  for (const [name, { main, checks }] of byAsset) {
    const marks = checks.map((check) => CHECK_MARK[check.status] ?? "?").join("");
    const suffix = marks ? ` ${marks}` : "";
    if (main?.status === "upstream_failed") {
      printer.out(`${printer.paint("yellow", "UPSTREAM FAILED")} ${name}${suffix}`);
    } else if (main?.status === "skipped") {
      printer.out(`${printer.paint("yellow", "SKIPPED")} ${name}${suffix}`);
    } else if (main?.status === "failed" || checks.some((check) => check.status === "failed")) {
      printer.out(`${printer.paint("red", "FAIL")} ${name}${suffix}`);
    } else {
      printer.out(`${printer.paint("green", "PASS")} ${name}${suffix}`);
    }
  }

  const failed = result.tasks.filter((outcome) => outcome.status === "failed" && outcome.error);
  if (failed.length > 0) {
    printer.out();
    printer.out("Errors:");
    for (const outcome of failed) printer.out(`  ${outcome.task.id}: ${outcome.error!.split("\n")[0]}`);
  }

  printer.out();
  const seconds = formatDuration(result.durationMs);
  printer.out(
    result.ok
      ? `bruin run completed successfully in ${seconds}`
      : `bruin run completed with failures in ${seconds}`,
  );
  printer.out();
  const assets = result.tasks.filter((outcome) => outcome.task.kind === "asset");
  const checks = result.tasks.filter((outcome) => outcome.task.kind !== "asset");
  printer.out(totalsLine("Assets executed", assets, printer));
  if (checks.length > 0) printer.out(totalsLine("Quality checks", checks, printer));
}

function totalsLine(label: string, outcomes: TaskOutcome[], printer: Printer): string {
  const count = (status: string) => outcomes.filter((outcome) => outcome.status === status).length;
  const failed = count("failed");
  const skipped = count("upstream_failed") + count("skipped");
  const parts: string[] = [];
  if (failed > 0) parts.push(`${failed} failed`);
  parts.push(`${count("succeeded")} succeeded`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  const mark = failed > 0 ? printer.paint("red", "✗") : printer.paint("green", "✓");
  return ` ${mark} ${label.padEnd(20)} ${parts.join(" / ")}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)}s`;
}
