import type { Pipeline, SensorMode, Task } from "@bruin-ts/pipeline";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { Redactor } from "@bruin-ts/secrets-core";
import { chooseBackend } from "../backends.js";
import { codeAssetBaseEnv } from "../code-env.js";
import { summarizeFailures } from "../connections.js";
import { EXIT, UsageError } from "../errors.js";
import { intervalFrom, type Interval } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { JsonRenderer } from "../render/json.js";
import { LiveRenderer, isInteractive } from "../render/live.js";
import { PlainRenderer } from "../render/plain.js";
import type { RunRenderer } from "../render/types.js";
import { openSession, type BackendFlags } from "../session.js";
import { connectionTypeProblems, missingDriverProblems, pipelineProblems, prepareRun } from "../prepare.js";
import { failureLines, problemLines } from "../report.js";

export interface RunOptions extends BackendFlags {
  path: string;
  workers: number;
  startDate?: string | undefined;
  endDate?: string | undefined;
  /** true: colour even in a pipe (`--color`); false: never (`--no-color`); absent: on a terminal only. */
  color?: boolean | undefined;
  /** Seconds to wait for a DuckDB file another process holds (`--lock-timeout`); default 0. */
  lockTimeout?: number | undefined;
  timestamp: boolean;
  fullRefresh?: boolean | undefined;
  tags?: string[] | undefined;
  excludeTags?: string[] | undefined;
  downstream?: boolean | undefined;
  /** `--selector`: a selection expression (tag:, path:, file:, fqn:, graph operators). */
  selector?: string | undefined;
  /** `--single-check ID`: with one asset, run only that check. */
  singleCheck?: string | undefined;
  /** `--modified`: only the assets whose files changed against git HEAD. */
  modified?: boolean | undefined;
  only?: string[] | undefined;
  validation: boolean;
  vars?: string[] | undefined;
  output: string;
  /** `--sensor-mode`: skip, once (the default) or wait. */
  sensorMode?: string | undefined;
}

const SENSOR_MODES: readonly SensorMode[] = ["skip", "once", "wait"];

const ONLY_VALUES = ["main", "checks"] as const;

/** How long a second Ctrl-C waits for the servers to confirm the cancel of the running queries. */
const STOP_NOW_CANCEL_MS = 2000;

/** `bruin run`: parse, select, validate, resolve every connection up front, execute, summarize. Returns the exit code. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: options.output === "json" ? false : options.color });
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
  const live = isInteractive(io) && !options.verbose;
  return live ? new LiveRenderer(printer, io) : new PlainRenderer(printer, options.timestamp);
}

async function execute(options: RunOptions, io: CliIO, printer: Printer, renderer: RunRenderer): Promise<number> {
  const flags = checkFlags(options, io);
  // The same preparation and checks as `bruin validate` (prepare.ts), so the two cannot drift apart.
  const prepared = await prepareRun(options, io, flags.interval);
  const { lib: pipelineLib, pipeline, assets, variables } = prepared;
  renderer.start({ pipeline: pipeline.name, assets: pipeline.assets.length, interval: flags.interval });

  const built: Task[] = pipelineLib.buildTasks(pipeline, assets, { only: flags.only });
  const tasks = options.singleCheck !== undefined ? singleCheckTasks(built, prepared, options.singleCheck) : built;
  if (tasks.length === 0) {
    renderer.note("No tasks to run.");
    if (renderer instanceof JsonRenderer) {
      renderer.finish(
        { startedAt: new Date(), tasks: [], ok: true, durationMs: 0 },
        { exitCode: EXIT.ok, interrupted: false },
      );
    }
    return EXIT.ok;
  }
  if (options.validation) {
    const issues = await pipelineProblems(prepared);
    if (issues.length > 0) {
      renderer.fail(problemLines(issues), EXIT.failed);
      return EXIT.failed;
    }
  }

  const session = await openSession(options, io, printer, pipeline.dir);
  try {
    // Every connection is resolved and validated before any asset runs: a broken credential changes no data.
    // The connections code assets ask for in `secrets:` are resolved in the same preflight.
    const failures = await session.connections.resolveAll(prepared.connectionNames);
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
    for (const name of pipelineLib.connectionNames(assets))
      types.set(name, (await session.connections.resolve(name)).type);
    const mismatches = connectionTypeProblems(prepared, (name) => types.get(name));
    if (mismatches.length > 0) {
      renderer.fail(problemLines(mismatches), EXIT.failed);
      return EXIT.failed;
    }
    // A connection type whose driver package is not installed: a setup problem (exit 2), found before anything runs.
    const missingDrivers = await missingDriverProblems([...types].map(([name, type]) => ({ name, type })));
    if (missingDrivers.length > 0) {
      renderer.fail(problemLines(missingDrivers), EXIT.usage);
      return EXIT.usage;
    }
    const files = await openDatabaseFiles(session, types, options.lockTimeout ?? 0);
    try {
      if (files.failures.length > 0) {
        renderer.fail(
          [
            "Could not open the database files of this run; no asset was run:",
            ...files.failures.map((line) => `  - ${line}`),
            ...(files.locked
              ? ["Wait for that process to finish, or pass --lock-timeout SECONDS to wait for it."]
              : []),
          ],
          EXIT.failed,
        );
        return EXIT.failed;
      }
      return await runTasks(pipelineLib, {
        pipeline,
        tasks,
        variables,
        options,
        interval: flags.interval,
        session,
        renderer,
        io,
      });
    } finally {
      await Promise.allSettled(files.opened.map((adapter) => adapter.close()));
    }
  } finally {
    await session.close();
  }
}

/**
 * Opens every DuckDB file of the run before any asset runs, so a file another
 * process holds is reported once, naming that process, instead of failing
 * every asset on it; waits up to `lockTimeout` seconds for it. The adapters
 * stay open during the run (the run's own connections share their instance)
 * and are closed after it.
 */
async function openDatabaseFiles(
  session: Awaited<ReturnType<typeof openSession>>,
  types: ReadonlyMap<string, string>,
  lockTimeout: number,
): Promise<{ opened: ConnectionAdapter[]; failures: string[]; locked: boolean }> {
  const { openConnection, DatabaseLockedError, locksDatabaseFile } = await import("@bruin-ts/connections");
  const names = [...types].filter(([, type]) => locksDatabaseFile(type)).map(([name]) => name);
  if (names.length === 0) return { opened: [], failures: [], locked: false };
  const settled = await Promise.allSettled(
    names.map(async (name) =>
      openConnection(await session.connections.resolve(name), { lockTimeoutMs: lockTimeout * 1000 }),
    ),
  );
  const opened: ConnectionAdapter[] = [];
  const failures: string[] = [];
  let locked = false;
  for (const outcome of settled) {
    if (outcome.status === "fulfilled") opened.push(outcome.value);
    else {
      locked ||= outcome.reason instanceof DatabaseLockedError;
      failures.push(outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason));
    }
  }
  // Two connections on one file report the same lock: once is enough.
  return { opened, failures: [...new Set(failures)], locked };
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
    ...(options.sensorMode ? { sensorMode: options.sensorMode as SensorMode } : {}),
    onEvent: (event) => renderer.event(event),
    ...(run.io.signal ? { signal: run.io.signal } : {}),
    code: {
      env: codeAssetBaseEnv(run.io.env),
      resolveSecret: (name) => run.session.connections.resolve(name),
      onOutput: (task, _stream, line) => renderer.output(task.id, line),
    },
    ...(options.verbose ? { onQuery: (task: Task, sql: string) => renderer.query(task.id, sql) } : {}),
  });
  run.io.stopNow?.removeEventListener("abort", cancelQueries);
  const interrupted = run.io.signal?.aborted === true;
  const exitCode = interrupted ? EXIT.interrupted : result.ok ? EXIT.ok : EXIT.failed;
  renderer.finish(result, { exitCode, interrupted });
  return exitCode;
}

/**
 * `--single-check ID`: the one check of the asset given as the path whose ID
 * is `ID` (`asset:column:check`, `asset:custom-check:name`, or the same
 * without the asset's name), without its asset's main task.
 */
function singleCheckTasks(tasks: Task[], prepared: { selectedAsset: unknown }, id: string): Task[] {
  if (prepared.selectedAsset === undefined) {
    throw new UsageError("--single-check can only be used with a single asset: give the path of an asset file");
  }
  const checks = tasks.filter((task) => task.kind !== "asset");
  const check = checks.find((task) => task.id === id || task.id === `${task.assetName}:${id}`);
  if (!check) {
    const known = checks.map((task) => task.id);
    throw new UsageError(
      `no check with ID '${id}' in this asset; ${known.length > 0 ? `its checks: ${known.join(", ")}` : "it has no checks"}`,
    );
  }
  return [{ ...check, upstream: [] }];
}

/** Flag values that are wrong whatever the pipeline: exit 2 before anything is read. */
function checkFlags(options: RunOptions, io: CliIO): { interval: Interval; only: ("main" | "checks")[] | undefined } {
  if (!["plain", "json"].includes(options.output)) {
    throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
  }
  if (options.sensorMode !== undefined && !(SENSOR_MODES as readonly string[]).includes(options.sensorMode)) {
    throw new UsageError(`invalid --sensor-mode '${options.sensorMode}'; possible values: ${SENSOR_MODES.join(", ")}`);
  }
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new UsageError(`--workers must be a positive whole number, got '${options.workers}'`);
  }
  if (options.lockTimeout !== undefined && !(Number.isFinite(options.lockTimeout) && options.lockTimeout >= 0)) {
    throw new UsageError(`--lock-timeout must be a number of seconds, 0 or more, got '${options.lockTimeout}'`);
  }
  // An unknown backend is a usage error even before the pipeline is read.
  chooseBackend(options.secretsBackend, io.env);
  const only = options.only
    ?.flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
  for (const value of only ?? []) {
    if (!(ONLY_VALUES as readonly string[]).includes(value)) {
      throw new UsageError(`invalid --only '${value}'; possible values: ${ONLY_VALUES.join(", ")}`);
    }
  }
  const interval = intervalFrom(options, io.env);
  return { interval, only: only && only.length > 0 ? (only as ("main" | "checks")[]) : undefined };
}
