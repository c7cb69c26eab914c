import path from "node:path";
import type { Asset, RunEvent, RunResult, Task } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { chooseBackend } from "../backends.js";
import { summarizeFailures } from "../connections.js";
import { EXIT, UsageError } from "../errors.js";
import { formatInstant, resolveInterval } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { openSession, reportFatal, type BackendFlags } from "../session.js";
import { printSummary } from "../summary.js";

export interface RunOptions extends BackendFlags {
  path: string;
  workers: number;
  startDate?: string;
  endDate?: string;
  color: boolean;
  timestamp: boolean;
}

/** `bruin run`: parse, resolve every connection up front, execute, summarize. Returns the exit code. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: options.color });
  try {
    return await execute(options, io, printer);
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}

async function execute(options: RunOptions, io: CliIO, printer: Printer): Promise<number> {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new UsageError(`--workers must be a positive whole number, got '${options.workers}'`);
  }
  // An unknown backend is a usage error even before the pipeline is read.
  chooseBackend(options.secretsBackend, io.env);
  const interval = resolveInterval(
    options.startDate ?? io.env.BRUIN_START_DATE,
    options.endDate ?? io.env.BRUIN_END_DATE,
  );
  const { loadPipeline, connectionNames, buildTasks, runPipeline } = await import("@bruin-ts/pipeline");
  const target = path.resolve(io.cwd, options.path);
  const { pipeline, selectedAsset } = await loadPipeline(target);
  const assets: Asset[] = selectedAsset ? [selectedAsset] : pipeline.assets;

  printer.out(`Analyzed the pipeline '${pipeline.name}' with ${pipeline.assets.length} assets.`);
  printer.out();
  printer.out(`Interval: ${formatInstant(interval.start)} - ${formatInstant(interval.end)}`);
  printer.out();
  if (assets.length === 0) {
    printer.out("No tasks to run.");
    return EXIT.ok;
  }

  const session = await openSession(options, io, printer, pipeline.dir);
  const { backend, connections } = session;
  try {
    // Every connection is resolved and validated before any asset runs: a broken credential changes no data.
    const failures = await connections.resolveAll(connectionNames(assets));
    if (failures.length > 0) {
      const { lines, exitCode } = summarizeFailures(failures);
      printer.err(`Could not prepare the connections of this run (${backend.id} backend); no asset was run:`);
      for (const line of lines) printer.err(`  - ${line}`);
      return exitCode;
    }

    const tasks: Task[] = buildTasks(pipeline, assets);
    printer.out("Starting the pipeline execution...");
    printer.out();
    const result: RunResult = await runPipeline({
      pipeline,
      tasks,
      getConnection: (name) => connections.open(name),
      workers: options.workers,
      interval,
      onEvent: (event: RunEvent) => printEvent(event, printer, options.timestamp),
    });
    printSummary(result, printer);
    return result.ok ? EXIT.ok : EXIT.failed;
  } finally {
    await session.close();
  }
}

function printEvent(event: RunEvent, printer: Printer, timestamp: boolean): void {
  const stamp = timestamp ? `${printer.paint("gray", `[${new Date().toISOString().slice(11, 19)}]`)} ` : "";
  if (event.type === "task-start") {
    printer.out(`${stamp}Running:  ${event.task.id}`);
    return;
  }
  const seconds = `(${(event.durationMs / 1000).toFixed(2)}s)`;
  if (event.status === "succeeded") printer.out(`${stamp}Finished: ${event.task.id} ${seconds}`);
  else if (event.status === "failed") {
    printer.out(`${stamp}${printer.paint("red", "Failed:")}   ${event.task.id} ${seconds}`);
    if (event.error) for (const line of event.error.split("\n")) printer.out(`  ${line}`);
  }
}
