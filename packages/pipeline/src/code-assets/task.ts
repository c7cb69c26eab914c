import type { ConnectionAdapter } from "@bruin-ts/connections";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Task } from "../model.js";
import type { RunPipelineOptions } from "../run.js";
import { buildCodeEnv, type InjectedConnection } from "./env.js";
import type { OutputStream } from "./process.js";
import { runCodeAsset } from "./run-code-asset.js";
import type { LoadStats } from "./rows.js";

export interface CodeAssetOptions {
  /**
   * The environment code assets inherit (PATH included); none when not given:
   * a library does not read the process's. The caller removes the secrets
   * backend's own credentials from it.
   */
  env?: Record<string, string | undefined>;
  /** Resolves a connection named in `secrets:` (already resolved and validated before the run started). */
  resolveSecret?: (name: string) => Promise<InjectedConnection>;
  /** Each line a code asset prints, as it comes. */
  onOutput?: (task: Task, stream: OutputStream, line: string) => void;
  /** BRUIN_RUN_ID; default: a random UUID per run. */
  runId?: string;
  /** When the run started (BRUIN_EXECUTION_*); default: now. */
  executionDate?: Date;
  /** SIGTERM → SIGKILL grace period at a timeout or interrupt; default 5 s. */
  graceMs?: number;
  /** Where virtual environments for requirements.txt are cached; default: `$XDG_CACHE_HOME/bruin/venvs`. */
  venvCacheDir?: string;
  /** Called with what each materialization loaded. */
  onLoaded?: (task: Task, stats: LoadStats) => void;
}

/** The repository root above `dir` (the folder holding `.git`), or `dir` itself outside a repository. */
function repositoryRoot(dir: string): string {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, ".git"))) return at;
    if (path.dirname(at) === at) return path.resolve(dir);
  }
}

const runIds = new WeakMap<RunPipelineOptions, { runId: string; executionDate: Date; commit: Promise<string> }>();

/** The commit of the repository holding `dir`, or empty outside one (or without git). */
function commitHash(dir: string): Promise<string> {
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "HEAD"], { cwd: dir, timeout: 5000 }, (error, stdout) =>
      resolve(error ? "" : stdout.trim()),
    );
  });
}

/**
 * The run's ID, start (execution date) and commit, the same for every asset of
 * one `runPipeline` call: `code.runId` and `code.executionDate` when given.
 */
export function runFacts(options: RunPipelineOptions): { runId: string; executionDate: Date; commit: Promise<string> } {
  let run = runIds.get(options);
  if (!run) {
    const code = options.code ?? {};
    let commit: Promise<string> | undefined;
    run = {
      runId: code.runId ?? randomUUID(),
      executionDate: code.executionDate ?? new Date(),
      // Asked of git only when a code asset needs it.
      get commit() {
        return (commit ??= commitHash(options.pipeline.dir));
      },
    };
    runIds.set(options, run);
  }
  return run;
}

/** Runs the asset task of a Python or R asset within a pipeline run, for `interval` (the asset's). */
export async function codeAssetTask(
  task: Task,
  options: RunPipelineOptions,
  connection: (name: string) => Promise<ConnectionAdapter>,
  interval = options.interval,
): Promise<void> {
  const { asset } = task;
  const code = options.code ?? {};
  const run = runFacts(options);
  const secrets = [];
  for (const secret of asset.code?.secrets ?? []) {
    if (!code.resolveSecret)
      throw new Error(
        `asset '${asset.name}' asks for the secret '${secret.key}', but no secrets are available to this run`,
      );
    secrets.push({ injectAs: secret.injectAs, connection: await code.resolveSecret(secret.key) });
  }
  const variables = { ...options.pipeline.variables, ...options.variables };
  const env = buildCodeEnv({
    base: code.env ?? {},
    asset,
    pipelineName: options.pipeline.name,
    interval,
    executionDate: run.executionDate,
    runId: run.runId,
    fullRefresh: options.fullRefresh === true,
    variables,
    ...(options.pipeline.variableSchemas ? { variableSchemas: options.pipeline.variableSchemas } : {}),
    commitHash: await run.commit,
    secrets,
  });
  await runCodeAsset(asset, {
    env,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(code.onOutput ? { onLine: (stream: OutputStream, line: string) => code.onOutput!(task, stream, line) } : {}),
    ...(asset.connection ? { connection: () => connection(asset.connection) } : {}),
    fullRefresh: options.fullRefresh === true,
    requirementsRoot: repositoryRoot(options.pipeline.dir),
    ...(code.venvCacheDir ? { venvCacheDir: code.venvCacheDir } : {}),
    ...(code.graceMs !== undefined ? { graceMs: code.graceMs } : {}),
    ...(code.onLoaded ? { onLoaded: (stats: LoadStats) => code.onLoaded!(task, stats) } : {}),
  });
}
