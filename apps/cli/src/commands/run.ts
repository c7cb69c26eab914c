import path from "node:path";
import type { Pipeline, RunPipelineOptions, Task } from "@bruin-ts/pipeline";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { Redactor } from "@bruin-ts/secrets-core";
import { chooseBackend } from "../backends.js";
import { codeAssetBaseEnv } from "../code-env.js";
import { summarizeFailures } from "../connections.js";
import { EXIT, UsageError } from "../errors.js";
import { formatInstant, intervalInstants, type Interval } from "../interval.js";
import { provisionalInterval, startDateInterval, startsAtStartDates } from "../full-refresh-interval.js";
import { Printer, outputSuppressed, type CliIO } from "../io.js";
import { JsonRenderer } from "../render/json.js";
import { LiveRenderer, isInteractive } from "../render/live.js";
import { PlainRenderer } from "../render/plain.js";
import type { RunRenderer } from "../render/types.js";
import { openSession, type BackendFlags } from "../session.js";
import { connectionTypeProblems, missingDriverProblems, pipelineProblems, prepareRun } from "../prepare.js";
import { queryAnnotations } from "../query-annotations.js";
import { failureLines, problemLines } from "../report.js";
import {
  RunLog,
  ensureGitignored,
  latestRunState,
  newRunId,
  outputRoot,
  writeRunState,
  type RunParameters,
  type RunState,
  type TaskState,
} from "../run-state.js";

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
  /** `--apply-interval-modifiers`: shift each asset's interval by its interval_modifiers (not with --full-refresh). */
  applyIntervalModifiers?: boolean | undefined;
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
  /** `--continue`: rerun the failed and not-run tasks of the pipeline's last run, with its interval and flags. */
  continue?: boolean | undefined;
  /** `--no-log-file`: write neither the run's log nor its state. */
  noLogFile?: boolean | undefined;
  /** `--timeout`: seconds the whole run may take (default 604800, 7 days, as the reference). */
  timeout?: number | undefined;
  /** `--force`: no confirmation for an environment whose name contains "prod". */
  force?: boolean | undefined;
  /** `--mask-credentials` (default true); false prints secrets unmasked, after a warning. */
  maskCredentials?: boolean | undefined;
  /** `--query-annotations` (or BRUIN_QUERY_ANNOTATIONS): `default` or a JSON object. */
  queryAnnotations?: string | undefined;
  /** `--backfill-id` and `--backfill-total`: the backfill this run is a partition of, recorded in its state. */
  backfillId?: string | undefined;
  backfillTotal?: number | undefined;
  /** `--push-metadata`: accepted; no engine of this CLI has a catalog to push to. */
  pushMetadata?: boolean | undefined;
  validation: boolean;
  vars?: string[] | undefined;
  output: string;
  /** `--sensor-mode`: skip, once (the default) or wait. */
  sensorMode?: string | undefined;
  /** `--variant`: required when the pipeline declares variants. */
  variant?: string | undefined;
}

type SensorMode = NonNullable<RunPipelineOptions["sensorMode"]>;
const SENSOR_MODES: readonly SensorMode[] = ["skip", "once", "wait"];

const ONLY_VALUES = ["main", "checks"] as const;

/** How long a second Ctrl-C waits for the servers to confirm the cancel of the running queries. */
const STOP_NOW_CANCEL_MS = 2000;

/** `--timeout` when not given: 7 days, as the reference. */
const DEFAULT_RUN_TIMEOUT_S = 604_800;

/** How long a run past its `--timeout` waits for the servers to stop the running statements (as an asset's `timeout:`). */
const RUN_TIMEOUT_CANCEL_MS = 5000;

/** `bruin run`: parse, select, validate, resolve every connection up front, execute, summarize. Returns the exit code. */
export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  // One Redactor for the terminal and the run's log: the log holds exactly what was printed, masked alike.
  const redactor = options.maskCredentials === false ? new UnmaskedRedactor() : new Redactor();
  const log = options.noLogFile ? undefined : new RunLog(redactor);
  const runIO = log ? log.tee(io) : io;
  const printer = new Printer(runIO, redactor, { color: options.output === "json" ? false : options.color });
  const renderer = chooseRenderer(options, runIO, printer);
  if (options.maskCredentials === false) {
    // Before anything else is printed.
    printer.err(
      "Warning: --mask-credentials=false: secret values are printed as they are, in the terminal and in the run's log",
    );
  }
  let exitCode: number;
  try {
    exitCode = await execute(options, runIO, printer, renderer, log);
  } catch (error) {
    const failure = failureLines(error, options.verbose);
    renderer.fail(failure.lines, failure.exitCode);
    exitCode = failure.exitCode;
  }
  await log?.close();
  // Output that could not be masked was suppressed: a command whose output was lost did not succeed.
  return exitCode === EXIT.ok && outputSuppressed(runIO) ? EXIT.failed : exitCode;
}

/** What `--mask-credentials=false` prints with: nothing is masked. */
class UnmaskedRedactor extends Redactor {
  override redact(text: string): string {
    return text;
  }
}

/** The answer to the reference's question before a run on an environment whose name contains "prod". */
async function confirmProduction(options: RunOptions, io: CliIO): Promise<boolean> {
  if (options.force || options.environment === undefined || !options.environment.toLowerCase().includes("prod"))
    return true;
  return (await io.confirm?.("You are using a production environment. Are you sure you want to continue?")) === true;
}

/**
 * `--continue`: the options of the pipeline's last run (its interval,
 * variables, workers, --full-refresh, --only, --no-validation) and its state.
 * The tasks to run come from that state, so the selection flags of this
 * command line are not used.
 */
async function continueFrom(options: RunOptions, io: CliIO): Promise<{ options: RunOptions; resumed: RunState }> {
  const lib = await import("@bruin-ts/pipeline");
  const { pipeline } = await lib.loadPipeline(path.resolve(io.cwd, options.path));
  const resumed = await latestRunState(outputRoot(pipeline.dir), pipeline.name);
  const saved = resumed.parameters;
  return {
    resumed,
    options: {
      ...options,
      path: pipeline.dir,
      // A full refresh that started at the start_dates starts there again; start_date holds the pipeline's.
      startDate: saved.from_start_dates === true ? undefined : saved.start_date,
      endDate: saved.end_date,
      workers: saved.workers,
      fullRefresh: saved.full_refresh,
      applyIntervalModifiers: saved.apply_interval_modifiers === true,
      variant: saved.variant,
      ...(saved.sensor_mode !== undefined ? { sensorMode: saved.sensor_mode } : {}),
      vars: Object.keys(saved.vars).length > 0 ? [JSON.stringify(saved.vars)] : [],
      only: saved.only,
      tags: undefined,
      excludeTags: undefined,
      selector: undefined,
      downstream: false,
      modified: false,
      singleCheck: undefined,
      validation: saved.validation,
    },
  };
}

/** The tasks of the resumed run that did not succeed (failed, upstream failed, not run), as they are now. */
function resumedTasks(built: Task[], resumed: RunState): Task[] {
  const redo = new Set(resumed.state.filter((task) => task.status !== "succeeded").map((task) => task.id));
  return built.filter((task) => redo.has(task.id));
}

function chooseRenderer(options: RunOptions, io: CliIO, printer: Printer): RunRenderer {
  if (options.output === "json") return new JsonRenderer(printer);
  const live = isInteractive(io) && !options.verbose;
  return live ? new LiveRenderer(printer, io) : new PlainRenderer(printer, options.timestamp);
}

async function execute(
  given: RunOptions,
  io: CliIO,
  printer: Printer,
  renderer: RunRenderer,
  log: RunLog | undefined,
): Promise<number> {
  const { options, resumed } = given.continue
    ? await continueFrom(given, io)
    : { options: given, resumed: undefined as RunState | undefined };
  const flags = checkFlags(options, io);
  // The same preparation and checks as `bruin validate` (prepare.ts), so the two cannot drift apart.
  const prepared = await prepareRun({ ...options, requireVariant: true }, io, flags.interval);
  const { lib: pipelineLib, pipeline, assets, variables } = prepared;
  // A full refresh without a start date runs from the pipeline's start_date (each asset from its own, if it has one).
  if (flags.fromStartDates) flags.interval = startDateInterval(options, io.env, pipeline.startDate);
  renderer.start({ pipeline: pipeline.name, assets: pipeline.assets.length, interval: flags.interval });
  const annotate = queryAnnotations(options.queryAnnotations ?? io.env.BRUIN_QUERY_ANNOTATIONS, pipeline.name);
  if (options.pushMetadata) {
    renderer.note(
      "--push-metadata: nothing to push: metadata push is for BigQuery, and this CLI runs no BigQuery asset",
    );
  }

  const built: Task[] = pipelineLib.buildTasks(pipeline, assets, { only: flags.only });
  const tasks = resumed
    ? resumedTasks(built, resumed)
    : options.singleCheck !== undefined
      ? singleCheckTasks(built, prepared, options.singleCheck)
      : built;
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
    // The reference's line once a run's validation passed.
    renderer.note(`✓ Successfully validated ${pipeline.assets.length} assets across 1 pipeline, all good.`);
    renderer.note("");
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
    // The environment exists (its connections resolved): a production one is confirmed before anything runs.
    if (!(await confirmProduction(given, io))) {
      renderer.fail(["The operation is cancelled."], EXIT.failed);
      return EXIT.failed;
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
        fromStartDates: flags.fromStartDates,
        session,
        renderer,
        io,
        annotate,
        record: {
          log,
          resumed,
          inputPath: path.resolve(io.cwd, options.path),
          singleAsset: prepared.selectedAsset?.name,
          parameters: runParameters(options, flags, prepared.overrides),
        },
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
    /** A full refresh without a start date given: each asset starts at its start_date (else the pipeline's). */
    fromStartDates: boolean;
    session: Awaited<ReturnType<typeof openSession>>;
    renderer: RunRenderer;
    io: CliIO;
    annotate: ((task: Task) => string | undefined) | undefined;
    record: RunRecord;
  },
): Promise<number> {
  const { renderer, options } = run;
  const root = outputRoot(run.pipeline.dir);
  const runId = newRunId();
  const { log } = run.record;
  if (log) {
    await ensureGitignored(root, ["logs/*.log", "logs/runs"]);
    const name = [runId, run.pipeline.name, ...(run.record.singleAsset ? [run.record.singleAsset] : [])].join("__");
    await log.open(path.join(root, "logs", `${name.replace(/[/\\:]/g, "_")}.log`));
  }
  renderer.note("Starting the pipeline execution...");
  renderer.note("");
  if (renderer instanceof LiveRenderer) renderer.expect(run.tasks.length);
  // A second Ctrl-C: the running queries are cancelled on their servers, so their tasks end now.
  const cancelQueries = () => void run.session.connections.cancelAll(STOP_NOW_CANCEL_MS);
  run.io.stopNow?.addEventListener("abort", cancelQueries, { once: true });
  // --timeout: at the deadline no task starts any more, code assets are stopped as on Ctrl-C, and the running
  // statements are cancelled on their servers, as an asset's own `timeout:` cancels its statement.
  const timeoutSeconds = options.timeout ?? DEFAULT_RUN_TIMEOUT_S;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => {
      deadline.abort();
      void run.session.connections.cancelAll(RUN_TIMEOUT_CANCEL_MS);
    },
    Math.min(timeoutSeconds * 1000, 2 ** 31 - 1),
  );
  timer.unref();
  const signal = run.io.signal ? AbortSignal.any([run.io.signal, deadline.signal]) : deadline.signal;
  const result = await pipelineLib.runPipeline({
    pipeline: run.pipeline,
    tasks: run.tasks,
    getConnection: (name) => run.session.connections.open(name),
    workers: options.workers,
    interval: run.interval,
    variables: run.variables,
    fullRefresh: options.fullRefresh === true,
    applyIntervalModifiers: options.applyIntervalModifiers === true,
    // A full refresh without a start date given starts each asset at its start_date (else the pipeline's).
    fullRefreshFromStartDate: run.fromStartDates,
    ...(options.sensorMode ? { sensorMode: options.sensorMode as SensorMode } : {}),
    onEvent: (event) => renderer.event(event),
    signal,
    ...(run.annotate ? { annotate: run.annotate } : {}),
    code: {
      env: codeAssetBaseEnv(run.io.env),
      resolveSecret: (name) => run.session.connections.resolve(name),
      onOutput: (task, _stream, line) => renderer.output(task.id, line),
    },
    ...(options.verbose ? { onQuery: (task: Task, sql: string) => renderer.query(task.id, sql) } : {}),
  });
  clearTimeout(timer);
  run.io.stopNow?.removeEventListener("abort", cancelQueries);
  const timedOut = deadline.signal.aborted && run.io.signal?.aborted !== true;
  if (timedOut) {
    renderer.note(
      `Error: the run did not finish within --timeout ${timeoutSeconds}s: its running tasks were cancelled and the others were not started`,
    );
  }
  if (log) await saveState(root, runId, run.pipeline.name, run.record, result.tasks, (text) => log.mask(text));
  const interrupted = run.io.signal?.aborted === true;
  const exitCode = interrupted ? EXIT.interrupted : result.ok && !timedOut ? EXIT.ok : EXIT.failed;
  renderer.finish(result, { exitCode, interrupted });
  if (options.singleCheck !== undefined && !run.record.resumed && !(renderer instanceof JsonRenderer)) {
    for (const line of singleCheckReport(result.tasks[0])) renderer.note(line);
  }
  return exitCode;
}

/** What `runTasks` needs to leave the run's log and state behind. */
interface RunRecord {
  /** Absent with --no-log-file: then neither the log nor the state is written. */
  log: RunLog | undefined;
  resumed: RunState | undefined;
  inputPath: string;
  singleAsset: string | undefined;
  parameters: RunParameters;
}

/** The flags of this run as `--continue` restores them. */
function runParameters(
  options: RunOptions,
  flags: { interval: Interval; only: ("main" | "checks")[] | undefined; fromStartDates: boolean },
  overrides: Record<string, unknown>,
): RunParameters {
  const { start, end } = intervalInstants(flags.interval);
  return {
    start_date: formatInstant(start),
    end_date: formatInstant(end),
    workers: options.workers,
    full_refresh: options.fullRefresh === true,
    vars: overrides,
    only: flags.only,
    tags: options.tags,
    exclude_tags: options.excludeTags,
    selector: options.selector,
    downstream: options.downstream === true,
    modified: options.modified === true,
    single_check: options.singleCheck,
    environment: options.environment,
    validation: options.validation,
    ...(options.backfillId !== undefined ? { backfill_id: options.backfillId } : {}),
    ...(options.backfillTotal !== undefined ? { backfill_total: options.backfillTotal } : {}),
    ...(options.applyIntervalModifiers ? { apply_interval_modifiers: true } : {}),
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(options.sensorMode !== undefined ? { sensor_mode: options.sensorMode } : {}),
    ...(flags.fromStartDates ? { from_start_dates: true } : {}),
  };
}

/**
 * Writes the run's state: each task's outcome. A continued run carries the
 * tasks of the run it continued over, so a second `--continue` still knows
 * what succeeded before.
 */
async function saveState(
  root: string,
  runId: string,
  pipeline: string,
  record: RunRecord,
  results: { task: Task; status: string }[],
  mask: (text: string) => string,
): Promise<void> {
  const outcomes = new Map<string, TaskState>();
  for (const task of record.resumed?.state ?? []) outcomes.set(task.id, task);
  for (const { task, status } of results) outcomes.set(task.id, { id: task.id, asset: task.asset.name, status });
  await writeRunState(
    root,
    {
      version: 1,
      run_id: runId,
      timestamp: new Date().toISOString(),
      pipeline,
      path: record.resumed?.path ?? record.inputPath,
      parameters: record.resumed?.parameters ?? record.parameters,
      state: [...outcomes.values()],
    },
    mask,
  );
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

/** The reference's block after a `--single-check` run: the check passed, or why it failed. */
function singleCheckReport(outcome: { task: Task; status: string; error?: string } | undefined): string[] {
  if (!outcome) return [];
  if (outcome.status !== "succeeded") {
    return ["", "Check Failed", "-".repeat(12), `Error: ${outcome.error ?? outcome.status}`];
  }
  const { task } = outcome;
  const check =
    task.kind === "column-check"
      ? `${task.column.name}.${task.check.name}`
      : task.kind === "custom-check"
        ? `${task.check.name} (custom)`
        : task.id;
  return ["", "Check Passed", "-".repeat(12), `Check: ${check}`, `Asset: ${task.asset.name}`];
}

/** Flag values that are wrong whatever the pipeline: exit 2 before anything is read. */
function checkFlags(
  options: RunOptions,
  io: CliIO,
): { interval: Interval; only: ("main" | "checks")[] | undefined; fromStartDates: boolean } {
  if (!["plain", "json"].includes(options.output)) {
    throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
  }
  if (options.sensorMode !== undefined && !(SENSOR_MODES as readonly string[]).includes(options.sensorMode)) {
    throw new UsageError(`invalid --sensor-mode '${options.sensorMode}'; possible values: ${SENSOR_MODES.join(", ")}`);
  }
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new UsageError(`--workers must be a positive whole number, got '${options.workers}'`);
  }
  // A malformed --query-annotations is refused before anything is read.
  queryAnnotations(options.queryAnnotations ?? io.env.BRUIN_QUERY_ANNOTATIONS, "");
  if (options.backfillTotal !== undefined && !(Number.isInteger(options.backfillTotal) && options.backfillTotal > 0)) {
    throw new UsageError(`--backfill-total must be a positive whole number, got '${options.backfillTotal}'`);
  }
  if (options.timeout !== undefined && !(Number.isFinite(options.timeout) && options.timeout > 0)) {
    throw new UsageError(`--timeout must be a positive number of seconds, got '${options.timeout}'`);
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
  const interval = provisionalInterval(options, io.env);
  const fromStartDates = startsAtStartDates(options, io.env);
  return { interval, only: only && only.length > 0 ? (only as ("main" | "checks")[]) : undefined, fromStartDates };
}
