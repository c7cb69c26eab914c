import path from "node:path";
import type { Asset, Pipeline, Task } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { chooseBackend } from "../backends.js";
import { summarizeFailures } from "../connections.js";
import { EXIT, UsageError } from "../errors.js";
import { resolveInterval, type Interval } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { JsonRenderer } from "../render/json.js";
import { LiveRenderer } from "../render/live.js";
import { PlainRenderer } from "../render/plain.js";
import type { RunRenderer } from "../render/types.js";
import { openSession, type BackendFlags } from "../session.js";
import { failureLines, problemLines } from "../report.js";

export interface RunOptions extends BackendFlags {
  path: string;
  workers: number;
  startDate?: string;
  endDate?: string;
  color: boolean;
  timestamp: boolean;
  fullRefresh?: boolean;
  tags?: string[];
  excludeTags?: string[];
  downstream?: boolean;
  only?: string[];
  validation: boolean;
  vars?: string[];
  output: string;
}

const ONLY_VALUES = ["main", "checks"] as const;

/** How long a second Ctrl-C waits for the servers to confirm the cancel of the running queries. */
const STOP_NOW_CANCEL_MS = 2000;

/** `bruin run`: parse, select, validate, resolve every connection up front, execute, summarize. Returns the exit code. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: options.color && options.output !== "json" });
  const renderer = chooseRenderer(options, io, printer);
  try {
    return await execute(options, io, printer, renderer);
  } catch (error) {
    const { lines, exitCode } = failureLines(error, options.verbose);
    renderer.fail(lines, exitCode);
    return exitCode;
  }
}

function chooseRenderer(options: RunOptions, io: CliIO, printer: Printer): RunRenderer {
  if (options.output === "json") return new JsonRenderer(printer);
  const live = Boolean(io.stderr.isTTY) && !io.env.CI && !options.verbose;
  return live ? new LiveRenderer(printer, io) : new PlainRenderer(printer, options.timestamp);
}

async function execute(options: RunOptions, io: CliIO, printer: Printer, renderer: RunRenderer): Promise<number> {
  const flags = checkFlags(options, io);
  const pipelineLib = await import("@bruin-ts/pipeline");
  const { pipeline, selectedAsset } = await pipelineLib.loadPipeline(path.resolve(io.cwd, options.path));
  const variables = pipelineLib.resolveVariables(pipeline, pipelineLib.parseVarFlags(options.vars ?? [], io.env.BRUIN_VARS));
  const assets: Asset[] = pipelineLib.selectAssets(pipeline, {
    ...(selectedAsset ? { asset: selectedAsset } : {}),
    downstream: options.downstream === true,
    tags: options.tags ?? [],
    excludeTags: options.excludeTags ?? [],
  });
  renderer.start({ pipeline: pipeline.name, assets: pipeline.assets.length, interval: flags.interval });

  const tasks: Task[] = pipelineLib.buildTasks(pipeline, assets, { only: flags.only });
  if (tasks.length === 0) {
    renderer.note("No tasks to run.");
    if (renderer instanceof JsonRenderer) renderer.finish({ startedAt: new Date(), tasks: [], ok: true, durationMs: 0 });
    return EXIT.ok;
  }
  if (options.validation) {
    const { issues } = await pipelineLib.validatePipeline(pipeline, assets, { variables, interval: flags.interval });
    if (issues.length > 0) {
      renderer.fail(problemLines(issues), EXIT.failed);
      return EXIT.failed;
    }
  }

  const session = await openSession(options, io, printer, pipeline.dir);
  try {
    // Every connection is resolved and validated before any asset runs: a broken credential changes no data.
    const failures = await session.connections.resolveAll(pipelineLib.connectionNames(assets));
    if (failures.length > 0) {
      const { lines, exitCode } = summarizeFailures(failures);
      renderer.fail(
        [
          `Could not prepare the connections of this run (${session.backend.id} backend); no asset was run:`,
          ...lines.map((line) => `  - ${line}`),
        ],
        exitCode,
      );
      return exitCode;
    }
    // An asset runs only on a connection of its own platform (`my.sql` on postgres is refused before anything runs).
    const types = new Map<string, string>();
    for (const name of pipelineLib.connectionNames(assets)) types.set(name, (await session.connections.resolve(name)).type);
    const mismatches = pipelineLib.connectionTypeProblems(assets, (name) => types.get(name));
    if (mismatches.length > 0) {
      renderer.fail(problemLines(mismatches), EXIT.failed);
      return EXIT.failed;
    }
    return await runTasks(pipelineLib, { pipeline, tasks, variables, options, interval: flags.interval, session, renderer, io });
  } finally {
    await session.close();
  }
}

async function runTasks(
  pipelineLib: typeof import("@bruin-ts/pipeline"),
  run: {
    pipeline: Pipeline;
    tasks: Task[];
    variables: Record<string, unknown>;
    options: RunOptions;
    interval: Interval;
    session: Awaited<ReturnType<typeof openSession>>;
    renderer: RunRenderer;
    io: CliIO;
  },
): Promise<number> {
  const { renderer, options } = run;
  renderer.note("Starting the pipeline execution...");
  renderer.note("");
  if (renderer instanceof LiveRenderer) renderer.expect(run.tasks.length);
  // A second Ctrl-C: the running queries are cancelled on their servers, so their tasks end now.
  const cancelQueries = () => void run.session.connections.cancelAll(STOP_NOW_CANCEL_MS);
  run.io.stopNow?.addEventListener("abort", cancelQueries, { once: true });
  const result = await pipelineLib.runPipeline({
    pipeline: run.pipeline,
    tasks: run.tasks,
    getConnection: (name) => run.session.connections.open(name),
    workers: options.workers,
    interval: run.interval,
    variables: run.variables,
    fullRefresh: options.fullRefresh === true,
    onEvent: (event) => renderer.event(event),
    ...(run.io.signal ? { signal: run.io.signal } : {}),
    ...(options.verbose ? { onQuery: (task: Task, sql: string) => renderer.query(task.id, sql) } : {}),
  });
  run.io.stopNow?.removeEventListener("abort", cancelQueries);
  renderer.finish(result);
  if (run.io.signal?.aborted) {
    renderer.note("");
    renderer.note("bruin run was interrupted: tasks that had not started were skipped.");
    return EXIT.interrupted;
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** Flag values that are wrong whatever the pipeline: exit 2 before anything is read. */
function checkFlags(options: RunOptions, io: CliIO): { interval: Interval; only: ("main" | "checks")[] | undefined } {
  if (!["plain", "json"].includes(options.output)) {
    throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
  }
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new UsageError(`--workers must be a positive whole number, got '${options.workers}'`);
  }
  // An unknown backend is a usage error even before the pipeline is read.
  chooseBackend(options.secretsBackend, io.env);
  const only = options.only?.flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
  for (const value of only ?? []) {
    if (!(ONLY_VALUES as readonly string[]).includes(value)) {
      throw new UsageError(`invalid --only '${value}'; possible values: ${ONLY_VALUES.join(", ")}`);
    }
  }
  const interval = resolveInterval(options.startDate ?? io.env.BRUIN_START_DATE, options.endDate ?? io.env.BRUIN_END_DATE);
  return { interval, only: only && only.length > 0 ? (only as ("main" | "checks")[]) : undefined };
}
