import path from "node:path";
import { openConnection, type ConnectionAdapter } from "@bruin-ts/connections";
import { buildTasks } from "../graph.js";
import { loadPipeline } from "../load.js";
import type { RunEvent, RunResult } from "../model.js";
import { runPipeline } from "../run.js";
import { scratchDir, writeTree } from "./tree.js";

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

  async run(options: { variables?: Record<string, unknown>; events?: RunEvent[]; workers?: number } = {}): Promise<RunResult> {
    const { pipeline } = await loadPipeline(this.root);
    const opened: ConnectionAdapter[] = [];
    try {
      return await runPipeline({
        pipeline,
        tasks: buildTasks(pipeline, pipeline.assets),
        getConnection: async (name) => {
          const adapter = await openConnection({ name, type: "duckdb", details: { path: this.dbFile } });
          opened.push(adapter);
          return adapter;
        },
        workers: options.workers ?? 4,
        interval: DAY,
        ...(options.variables ? { variables: options.variables } : {}),
        onEvent: (e) => options.events?.push(e),
      });
    } finally {
      await Promise.all(opened.map((a) => a.close()));
    }
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
