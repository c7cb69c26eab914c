import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runProcess } from "./process.js";

/** The file a finished environment holds; an environment without it is not used. */
const READY = ".bruin-ready";
/** A lock older than this, whose holder is gone or unknown, is taken over. */
const STALE_LOCK_MS = 10 * 60_000;
const INSTALL_TAIL = 15;

/** Where environments are cached: `$XDG_CACHE_HOME/bruin/venvs`, else `~/.cache/bruin/venvs`. */
export function venvCacheDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CACHE_HOME?.trim() || path.join(env.HOME?.trim() || os.homedir(), ".cache");
  return path.join(base, "bruin", "venvs");
}

/** The cache key of an environment: the requirements' text and the interpreter (its real path and version). */
export function venvKey(requirements: string, interpreterPath: string, interpreterVersion: string): string {
  return createHash("sha256")
    .update(`${interpreterPath}\0${interpreterVersion}\0${requirements}`)
    .digest("hex")
    .slice(0, 32);
}

/** The interpreter's real path, `sys.version`, and whether it has pip of its own. */
async function describeInterpreter(
  python: string,
  env: Record<string, string>,
): Promise<{ path: string; version: string; pip: boolean }> {
  const script =
    "import importlib.util, sys; print(sys.executable); print(importlib.util.find_spec('pip') is not None); print(sys.version)";
  const output = await new Promise<string>((resolve, reject) =>
    execFile(python, ["-c", script], { env, timeout: 30_000 }, (error, stdout) =>
      error ? reject(new Error(`cannot run ${python}: ${error.message}`)) : resolve(stdout),
    ),
  );
  const [executable = python, pip, ...rest] = output.trim().split("\n");
  return { path: await realpath(executable).catch(() => executable), version: rest.join(" "), pip: pip === "True" };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock of one environment: a directory made atomically with
 * `mkdir`, holding the owner's pid. Waits while another process holds it; a
 * lock whose owner is gone (or that is older than 10 minutes without an
 * owner to ask) is removed. Returns the release function.
 */
export async function acquireLock(
  lock: string,
  options: { signal?: AbortSignal; pollMs?: number } = {},
): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(path.join(lock, "pid"), String(process.pid));
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(await readFile(path.join(lock, "pid"), "utf8").catch(() => ""));
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if ((owner > 0 && !alive(owner)) || (!(owner > 0) && age > STALE_LOCK_MS)) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (options.signal?.aborted)
      throw new Error("interrupted while waiting for another run to prepare the Python environment");
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

export interface EnsureVenvOptions {
  /** The base interpreter. */
  python: string;
  /** The requirements.txt to install. */
  requirements: string;
  cacheDir: string;
  env: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The Python of a virtual environment with `requirements` installed, made
 * with `--system-site-packages` (packages already on the machine are used)
 * and cached by the requirements and the interpreter. Built beside its final
 * place and renamed into it once complete, under a lock, so concurrent runs
 * neither build it twice nor see it half-made. A failed install throws with
 * the installer's last lines.
 */
export async function ensureVenv(options: EnsureVenvOptions): Promise<string> {
  const requirements = await readFile(options.requirements, "utf8");
  const interpreter = await describeInterpreter(options.python, options.env);
  const key = venvKey(requirements, interpreter.path, interpreter.version);
  const final = path.join(options.cacheDir, key);
  const python = path.join(final, "bin", "python");
  if (existsSync(path.join(final, READY))) return python;

  await mkdir(options.cacheDir, { recursive: true });
  const release = await acquireLock(`${final}.lock`, options.signal ? { signal: options.signal } : {});
  try {
    // Another run may have made it while this one waited.
    if (existsSync(path.join(final, READY))) return python;
    await rm(final, { recursive: true, force: true });
    const building = `${final}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      // The system's pip, seen through --system-site-packages, installs into the environment: no copy of pip is needed.
      const venvArgs = [
        "-m",
        "venv",
        "--system-site-packages",
        ...(interpreter.pip ? ["--without-pip"] : []),
        building,
      ];
      await step(options, options.python, venvArgs, "creating the virtual environment");
      await step(
        options,
        path.join(building, "bin", "python"),
        ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", options.requirements],
        `installing ${options.requirements}`,
      );
      await writeFile(path.join(building, READY), `${options.requirements}\n`);
      await rename(building, final);
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    return python;
  } finally {
    await release();
  }
}

async function step(options: EnsureVenvOptions, command: string, args: string[], what: string): Promise<void> {
  const result = await runProcess({
    command,
    args,
    cwd: path.dirname(options.requirements),
    env: { ...options.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.interrupted) throw new Error(`interrupted while ${what}`);
  if (result.code !== 0) {
    const tail = result.tail.slice(-INSTALL_TAIL);
    throw new Error(
      `${what} failed (${result.code === null ? `killed by ${result.signal}` : `exit code ${result.code}`})${tail.length ? `:\n${tail.join("\n")}` : ""}`,
    );
  }
}
