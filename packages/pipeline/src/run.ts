import type { ConnectionAdapter } from "@bruin-ts/connections";
import { runColumnCheck, runCustomCheck } from "./checks.js";
import { materializeAsset } from "./materialize.js";
import type { Pipeline, RunEvent, RunResult, Task } from "./model.js";
import { renderQuery, renderTemplate, templateContext, type RunInterval } from "./render.js";
import { runTaskGraph } from "./scheduler.js";
import { codeAssetTask, type CodeAssetOptions } from "./code-assets/task.js";

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
  onEvent?: (event: RunEvent) => void;
  /** Called with each rendered query just before it runs (`--verbose`). */
  onQuery?: (task: Task, sql: string) => void;
  signal?: AbortSignal;
  /** How Python and R assets run: their environment, secrets and output. */
  code?: CodeAssetOptions;
}

/** Executes one task: render, then materialize or check. */
async function executeTask(
  task: Task,
  options: RunPipelineOptions,
  connection: (name: string) => Promise<ConnectionAdapter>,
) {
  const { asset } = task;
  if (asset.unsupported) throw new Error(asset.unsupported);
  const context = templateContext({
    assetName: asset.name,
    pipelineName: options.pipeline.name,
    interval: options.interval,
    variables: { ...options.pipeline.variables, ...options.variables },
  });
  switch (task.kind) {
    case "asset": {
      if (asset.code) {
        await codeAssetTask(task, options, connection);
        return;
      }
      const query = renderQuery(asset, context);
      options.onQuery?.(task, query);
      await materializeAsset(await connection(asset.connection), asset, query, {
        fullRefresh: options.fullRefresh === true,
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
    execute: (task) => executeTask(task, options, connection),
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
    ok: records.every((r) => r.status === "succeeded"),
    durationMs: performance.now() - started,
  };
}
