import path from "node:path";
import { openConnection, type ConnectionAdapter } from "@bruin-ts/connections";
import type { CodeAssetOptions } from "../code-assets/task.js";
import type { RunEvent, RunResult } from "../model.js";
import type { RunInterval } from "../render.js";
import { runPipeline } from "../run.js";
import { buildTasks } from "../graph.js";
import { loadPipeline } from "../load.js";
import { scratchDir, writeTree } from "./tree.js";

export interface RunFolderOptions {
  variables?: Record<string, unknown>;
  events?: RunEvent[];
  workers?: number;
  fullRefresh?: boolean;
  /** The run's interval (default: DAY). */
  interval?: RunInterval;
  /** How code assets run (their environment, secrets, output). */
  code?: CodeAssetOptions;
  signal?: AbortSignal;
}

/** Loads the pipeline in `root` and runs all of it, opening (and afterwards closing) one adapter per connection name. */
export async function runPipelineFolder(
  root: string,
  open: (name: string) => Promise<ConnectionAdapter>,
  options: RunFolderOptions = {},
): Promise<RunResult> {
  const { pipeline } = await loadPipeline(root);
  const opened: ConnectionAdapter[] = [];
  try {
    return await runPipeline({
      pipeline,
      tasks: buildTasks(pipeline, pipeline.assets),
      getConnection: async (name) => {
        const adapter = await open(name);
        opened.push(adapter);
        return adapter;
      },
      workers: options.workers ?? 4,
      interval: options.interval ?? DAY,
      ...(options.variables ? { variables: options.variables } : {}),
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
      // The test is the host: code assets start from its environment, as the CLI passes its own.
      code: { env: process.env, ...options.code },
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: (e) => options.events?.push(e),
    });
  } finally {
    await Promise.all(opened.map((a) => a.close()));
  }
}

export const DAY = { start: new Date("2024-03-05T00:00:00Z"), end: new Date("2024-03-05T23:59:59.999Z") };

/** A pipeline folder with a DuckDB file, run through the real DuckDB adapter. */
export class DuckDBPipeline {
  readonly root = scratchDir("bruin-run-");
  readonly dbFile = path.join(this.root, "warehouse.duckdb");

  constructor(pipelineYml = "name: test\n") {
    writeTree(this.root, { "pipeline.yml": pipelineYml });
  }

  write(files: Record<string, string>): this {
    writeTree(this.root, files);
    return this;
  }

  run(options: RunFolderOptions = {}): Promise<RunResult> {
    return runPipelineFolder(
      this.root,
      (name) => openConnection({ name, type: "duckdb", details: { path: this.dbFile } }),
      options,
    );
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const adapter = await openConnection({ name: "inspect", type: "duckdb", details: { path: this.dbFile } });
    try {
      return (await adapter.query(sql)).rows;
    } finally {
      await adapter.close();
    }
  }
}

export function statuses(result: RunResult): Record<string, string> {
  return Object.fromEntries(result.tasks.map((t) => [t.task.id, t.status]));
}

export function errorOf(result: RunResult, id: string): string | undefined {
  return result.tasks.find((t) => t.task.id === id)?.error;
}
