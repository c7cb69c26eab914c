import { inCancelScope, type ConnectionAdapter } from "@bruin-ts/connections";
import { runColumnCheck, runCustomCheck } from "./checks.js";
import { renderHooks, runHooks } from "./hooks.js";
import { runSeed } from "./seed.js";
import { runSensor, type SensorMode } from "./sensor.js";
import { assetEnabled } from "./variants.js";
import { rewriteExternalReferences } from "./schema-prefix.js";
import { materializeAsset } from "./materialize.js";
import type { Asset, Pipeline, RunEvent, RunResult, Task } from "./model.js";
import { renderQuery, renderTemplate, templateContext, type RunInterval } from "./render.js";
import { runTaskGraph } from "./scheduler.js";
import { applyIntervalModifiers } from "./interval-modifiers.js";
import { codeAssetTask, runFacts, type CodeAssetOptions } from "./code-assets/task.js";
import { formatDuration } from "./code-assets/process.js";
import { withStatementPrefix } from "./annotate.js";

export interface RunPipelineOptions {
  pipeline: Pipeline;
  tasks: Task[];
  /** Returns an open adapter; the caller owns it (and closes it after the run). */
  getConnection: (name: string) => Promise<ConnectionAdapter>;
  workers: number;
  interval: RunInterval;
  /** Overrides of the pipeline's variable defaults (`--var`). */
  variables?: Record<string, unknown>;
  /** Rebuild incremental tables from scratch (`--full-refresh`). */
  fullRefresh?: boolean;
  /** Shift each asset's interval by its `interval_modifiers` (`--apply-interval-modifiers`); not under fullRefresh. */
  applyIntervalModifiers?: boolean;
  /**
   * With fullRefresh: each asset's interval starts at its `start_date`, else
   * the pipeline's (when one is set), as the reference does when the run's
   * start was not given. Default false: the run's interval as it is.
   */
  fullRefreshFromStartDate?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** Called with each rendered query just before it runs (`--verbose`). */
  onQuery?: (task: Task, sql: string) => void;
  signal?: AbortSignal;
  /** How Python and R assets run: their environment, secrets and output. */
  code?: CodeAssetOptions;
  /**
   * A comment line put before every statement a task runs (`--query-annotations`), or undefined for
   * none: `-- @bruin.config: {...}\n`.
   */
  annotate?: (task: Task) => string | undefined;
  /** How sensor assets run (`--sensor-mode`); `once` when not given. */
  sensorMode?: SensorMode;
}

/** How often a timed-out asset's cancel is repeated while its statements still run (a next one may start). */
const CANCEL_REPEAT_MS = 100;
/** How long a timed-out asset waits for its engine to stop the statement before it fails anyway. */
const CANCEL_GRACE_MS = 5_000;

/**
 * Runs `work` within the asset's `timeout:`. At the deadline the engine is
 * asked to cancel the statements `work` started (its cancel scope: statements
 * of other assets on the same connection go on), again every CANCEL_REPEAT_MS
 * until `work` settles, so a statement that starts after the first cancel is
 * stopped too; the asset then fails saying it timed out. An engine that cannot
 * cancel leaves its statement running: the asset fails at the deadline all the
 * same.
 */
async function withTimeout(asset: Asset, adapter: ConnectionAdapter, work: () => Promise<void>): Promise<void> {
  const ms = asset.timeoutMs;
  if (ms === undefined) return work();
  const scope = {};
  const running = inCancelScope(scope, work);
  let settled = false;
  const done = running.then(
    () => undefined,
    () => undefined,
  );
  void done.then(() => (settled = true));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), ms);
  });
  const first = await Promise.race([running.then(() => "done" as const), deadline]).finally(() => clearTimeout(timer));
  if (first === "done") return;
  const timedOut = new Error(
    `asset '${asset.name}' timed out after ${formatDuration(ms)}` +
      (adapter.cancel ? " and was cancelled" : `; ${adapter.dialect.name} cannot cancel a running statement`),
  );
  if (!adapter.cancel) throw timedOut;
  const cancel = adapter.cancel.bind(adapter);
  const pause = () => Promise.race([done, new Promise((resolve) => setTimeout(resolve, CANCEL_REPEAT_MS).unref())]);
  const until = Date.now() + CANCEL_GRACE_MS;
  while (!settled && Date.now() < until) {
    await cancel(scope);
    await pause();
  }
  // A statement still waiting for its turn (DuckDB runs one at a time) is stopped when it starts.
  if (!settled)
    void (async () => {
      while (!settled) {
        await cancel(scope);
        await pause();
      }
    })();
  throw timedOut;
}

/**
 * The interval an asset runs for: the run's, shifted by the asset's
 * `interval_modifiers` when the run applies them (never under a full refresh).
 * Templated modifiers render with the run's own interval.
 */
export function assetInterval(
  asset: Asset,
  options: Pick<
    RunPipelineOptions,
    "pipeline" | "interval" | "variables" | "fullRefresh" | "applyIntervalModifiers" | "fullRefreshFromStartDate"
  >,
): RunInterval {
  if (options.fullRefresh && options.fullRefreshFromStartDate) return fromStartDate(asset, options);
  if (!options.applyIntervalModifiers || options.fullRefresh || !asset.intervalModifiers) return options.interval;
  const context = templateContext({
    assetName: asset.name,
    pipelineName: options.pipeline.name,
    interval: options.interval,
    variables: { ...options.pipeline.variables, ...options.variables },
    fullRefresh: options.fullRefresh,
  });
  return applyIntervalModifiers(
    options.interval,
    asset.intervalModifiers,
    (text, side) => renderTemplate(text, context, { asset, what: `interval_modifiers.${side}` }),
    asset.name,
  );
}

/** A full refresh's interval: from the asset's (else the pipeline's) `start_date`, at 00:00:00 UTC, to the run's end. */
function fromStartDate(asset: Asset, options: Pick<RunPipelineOptions, "pipeline" | "interval">): RunInterval {
  const startDate = asset.startDate ?? options.pipeline.startDate;
  if (startDate === undefined) return options.interval;
  const start = new Date(`${startDate}T00:00:00Z`);
  const { end, endMicros } = options.interval;
  if (start.getTime() > end.getTime()) {
    const whose = asset.startDate !== undefined ? "its start_date" : "the pipeline's start_date";
    throw new Error(
      `asset '${asset.name}': a full refresh starts at ${whose} ${startDate}, after the end date ${end.toISOString()}`,
    );
  }
  return { start, end, ...(endMicros ? { endMicros } : {}) };
}

/** Whether the asset's query, hooks, custom checks or sensor name `commit_hash`. */
function usesCommitHash(asset: Asset): boolean {
  const texts = [asset.query, ...asset.customChecks.map((check) => check.query), JSON.stringify(asset.hooks ?? {})];
  return texts.some((text) => text.includes("commit_hash"));
}

/** Executes one task: render, then materialize or check. */
async function executeTask(
  task: Task,
  options: RunPipelineOptions,
  connection: (name: string) => Promise<ConnectionAdapter>,
) {
  const { asset } = task;
  if (asset.unsupported) throw new Error(asset.unsupported);
  const interval = assetInterval(asset, options);
  const facts = runFacts(options);
  const { runId, executionDate } = facts;
  // git is asked for the commit only when one of the asset's templates names it.
  const commitHash = usesCommitHash(asset) ? await facts.commit : undefined;
  const context = templateContext({
    assetName: asset.name,
    pipelineName: options.pipeline.name,
    interval,
    variables: { ...options.pipeline.variables, ...options.variables },
    fullRefresh: options.fullRefresh,
    runId,
    executionDate,
    ...(commitHash !== undefined ? { commitHash } : {}),
    ...(options.pipeline.schemaPrefix !== undefined ? { schemaPrefix: options.pipeline.schemaPrefix } : {}),
  });
  // A disabled asset (`enabled:` false) and its checks are skipped; its downstream go on.
  if (!assetEnabled(asset, context)) return "skipped";
  switch (task.kind) {
    case "asset": {
      if (asset.code) {
        await codeAssetTask(task, options, connection, interval);
        return;
      }
      if (asset.sensor) {
        const query = asset.sensor.check === "query" ? renderQuery(asset, context) : "";
        if (query) options.onQuery?.(task, query);
        const adapter = await connection(asset.connection);
        await runSensor(adapter, asset, query, options.sensorMode ?? "once", options.signal);
        return;
      }
      if (asset.seed) {
        const adapter = await connection(asset.connection);
        await withTimeout(asset, adapter, async () => {
          await runSeed(adapter, asset, options.signal ? { signal: options.signal } : {});
        });
        return;
      }
      const pre = renderHooks(asset, "pre", context);
      const rendered = renderQuery(asset, context);
      const post = renderHooks(asset, "post", context);
      const adapter = await connection(asset.connection);
      const query = await rewriteExternalReferences(adapter, asset, rendered);
      for (const sql of [...pre, query, ...post]) options.onQuery?.(task, sql);
      await withTimeout(asset, adapter, async () => {
        await runHooks(adapter, asset, "pre", pre);
        await materializeAsset(adapter, asset, query, {
          fullRefresh: options.fullRefresh === true,
          interval,
        });
        await runHooks(adapter, asset, "post", post);
      });
      return;
    }
    case "column-check":
      await runColumnCheck(await connection(asset.connection), task);
      return;
    case "custom-check": {
      const query = renderTemplate(task.check.query, context, { asset, what: `custom check '${task.check.name}'` });
      options.onQuery?.(task, query);
      await runCustomCheck(await connection(asset.connection), task, query);
      return;
    }
  }
}

/**
 * Runs the tasks of a pipeline: at most `workers` at once, each as soon as
 * its upstreams succeeded; a failure marks everything downstream
 * upstream_failed while independent branches go on. `ok` is true only when
 * every task succeeded (a failed non-blocking check still makes it false).
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunResult> {
  const startedAt = new Date();
  const started = performance.now();
  // One getConnection call per name per run, however many tasks share it.
  const opened = new Map<string, Promise<ConnectionAdapter>>();
  const connection = (name: string) => {
    let adapter = opened.get(name);
    if (!adapter) {
      adapter = options.getConnection(name);
      opened.set(name, adapter);
    }
    return adapter;
  };

  const records = await runTaskGraph(options.tasks, {
    workers: options.workers,
    execute: (task) => {
      const prefix = options.annotate?.(task);
      const annotated = prefix
        ? (name: string) => connection(name).then((adapter) => withStatementPrefix(adapter, prefix))
        : connection;
      return executeTask(task, options, annotated);
    },
    onStart: (task, startedAt) => options.onEvent?.({ type: "task-start", task, startedAt }),
    onFinish: (record) =>
      options.onEvent?.({
        type: "task-finish",
        task: record.task,
        status: record.status,
        durationMs: record.durationMs,
        ...(record.error !== undefined ? { error: record.error } : {}),
        ...(record.startedAt ? { startedAt: record.startedAt } : {}),
      }),
    ...(options.signal ? { signal: options.signal } : {}),
  });

  return {
    startedAt,
    tasks: records,
    // A task skipped after it started is a disabled asset or check, which is no failure.
    ok: records.every((r) => r.status === "succeeded" || (r.status === "skipped" && r.startedAt !== undefined)),
    durationMs: performance.now() - started,
  };
}
