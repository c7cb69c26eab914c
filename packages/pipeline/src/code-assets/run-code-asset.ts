import type { ConnectionAdapter } from "@bruin-ts/connections";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import type { Asset } from "../model.js";
import { chooseInterpreter, findNearest, findRequirements, uvCommand, type Interpreter } from "./interpreter.js";
import { formatDuration, runProcess, type OutputStream } from "./process.js";
import { IncompleteRowsError, loadRowStream, readLines, type LoadStats } from "./rows.js";
import { ensureVenv, venvCacheDir } from "./venv.js";

/**
 * The Python runner that calls materialize(), shipped with this package and
 * found through its `exports`, so that it is found from a bundle of this
 * package's code as well (the CLI's).
 */
const PYTHON_RUNNER = createRequire(import.meta.url).resolve("@bruin-ts/pipeline/python/bruin_runner.py");

export interface CodeAssetRun {
  /** The child's full environment (see buildCodeEnv). */
  env: Record<string, string>;
  /** Kills the process tree when it aborts (Ctrl-C). */
  signal?: AbortSignal;
  onLine?: (stream: OutputStream, line: string) => void;
  /** The asset's connection, for `materialize()` assets. */
  connection?: () => Promise<ConnectionAdapter>;
  fullRefresh?: boolean;
  /** SIGTERM → SIGKILL grace period (default 5 s). */
  graceMs?: number;
  /** Called with what a materialization loaded. */
  onLoaded?: (stats: LoadStats) => void;
  /** Where the search for a requirements.txt stops walking up (the repository root); default: the asset's folder. */
  requirementsRoot?: string;
  /** Where virtual environments are cached; default: `$XDG_CACHE_HOME/bruin/venvs`. */
  venvCacheDir?: string;
}

/**
 * Runs a Python or R asset as a subprocess from its own folder: the script
 * itself, or, for a Python asset with a table materialization, the runner
 * calling its `materialize()` with the rows loaded into the asset's table.
 * Throws, failing the task, on a non-zero exit, a timeout or an interrupt.
 */
export async function runCodeAsset(asset: Asset, run: CodeAssetRun): Promise<void> {
  const code = asset.code;
  if (!code) throw new Error(`asset '${asset.name}' is not a code asset`);
  const chosen = chooseInterpreter(code, run.env.PATH);
  if ("missing" in chosen) throw new Error(`asset '${asset.name}': ${chosen.missing}`);
  const { interpreter } = chosen;
  const materialize = code.language === "python" && asset.materialization?.type === "table";
  if (materialize && !run.connection)
    throw new Error(`asset '${asset.name}' materializes a table but has no 'connection'`);

  const script = asset.path;
  const scratch = mkdtempSync(path.join(tmpdir(), "bruin-code-"));
  try {
    const command = await commandFor(asset, interpreter, materialize, run, scratch);
    await execute(asset, command, materialize, run);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** How the asset's process starts, once its environment (venv, renv) is ready. */
async function commandFor(
  asset: Asset,
  interpreter: Interpreter,
  materialize: boolean,
  run: CodeAssetRun,
  scratch: string,
): Promise<{ command: string; args: string[] }> {
  const script = asset.path;
  const root = run.requirementsRoot ?? path.dirname(script);
  if (interpreter.kind === "uv") {
    const requirements = findRequirements(script, root);
    const uv = requirements ? { requirements } : {};
    return materialize
      ? uvCommand(interpreter, PYTHON_RUNNER, { ...uv, args: [script] })
      : uvCommand(interpreter, script, uv);
  }
  if (interpreter.kind === "python") {
    // The nearest requirements.txt is installed into a cached virtual environment first.
    const requirements = findRequirements(script, root);
    const python = requirements
      ? await ensureVenv({
          python: interpreter.command,
          requirements,
          cacheDir: run.venvCacheDir ?? venvCacheDir(run.env),
          env: run.env,
          ...(run.signal ? { signal: run.signal } : {}),
        })
      : interpreter.command;
    return { command: python, args: materialize ? ["-u", PYTHON_RUNNER, script] : ["-u", script] };
  }
  // The nearest renv.lock is restored first, from its own folder.
  const lockfile = findNearest("renv.lock", script, root);
  if (lockfile) await restoreRenv(interpreter.command, lockfile, run);
  // Rscript prints every visible top-level value, the header string included: it runs a copy with
  // the header blanked out, so line numbers stay those of the asset file.
  const copy = path.join(scratch, path.basename(script));
  writeFileSync(copy, "\n".repeat(asset.queryLine - 1) + asset.query);
  return { command: interpreter.command, args: [copy] };
}

async function execute(
  asset: Asset,
  command: { command: string; args: string[] },
  materialize: boolean,
  run: CodeAssetRun,
): Promise<void> {
  const code = asset.code!;
  const script = asset.path;
  // The runner's stream ending early means the script failed: its exit says why, so it is not killed for it.
  let incomplete: IncompleteRowsError | undefined;
  const result = await runProcess({
    ...command,
    cwd: path.dirname(script),
    env: run.env,
    ...(code.timeoutMs !== undefined ? { timeoutMs: code.timeoutMs } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.graceMs !== undefined ? { graceMs: run.graceMs } : {}),
    ...(run.onLine ? { onLine: run.onLine } : {}),
    ...(materialize
      ? {
          readData: async (data) => {
            try {
              const stats = await loadRowStream(readLines(data), await run.connection!(), asset, {
                fullRefresh: run.fullRefresh === true,
              });
              run.onLoaded?.(stats);
            } catch (error) {
              if (!(error instanceof IncompleteRowsError)) throw error;
              incomplete = error;
            }
          },
        }
      : {}),
  });
  if (result.timedOut)
    throw new Error(`asset '${asset.name}' timed out after ${formatDuration(code.timeoutMs!)} and was stopped`);
  if (result.interrupted) throw new Error(`asset '${asset.name}' was interrupted and stopped`);
  if (result.dataError !== undefined) throw result.dataError;
  if (result.code !== 0) {
    const how = result.code === null ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    const tail = result.tail.length > 0 ? `:\n${result.tail.join("\n")}` : "";
    throw new Error(`${code.language === "r" ? "Rscript" : "Python"} ${how}${tail}`);
  }
  if (incomplete) throw incomplete;
}

/** `renv::restore()` of a lockfile; a failure throws with Rscript's last lines. */
async function restoreRenv(rscript: string, lockfile: string, run: CodeAssetRun): Promise<void> {
  const expression = `renv::restore(lockfile = ${JSON.stringify(lockfile)}, prompt = FALSE)`;
  const result = await runProcess({
    command: rscript,
    args: ["-e", expression],
    cwd: path.dirname(lockfile),
    env: run.env,
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.onLine ? { onLine: run.onLine } : {}),
  });
  if (result.interrupted) throw new Error(`interrupted while restoring ${lockfile}`);
  if (result.code !== 0) {
    const how = result.code === null ? `killed by ${result.signal}` : `exit code ${result.code}`;
    throw new Error(
      `restoring ${lockfile} with renv failed (${how})${result.tail.length ? `:\n${result.tail.join("\n")}` : ""}`,
    );
  }
}
