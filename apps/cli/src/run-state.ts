import { createWriteStream, existsSync, type WriteStream } from "node:fs";
import { appendFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { repositoryRoot } from "./repository.js";
import type { Redactor } from "@bruin-ts/secrets-core";
import { EXIT } from "./errors.js";
import type { CliIO } from "./io.js";

/**
 * What a run leaves behind, as the reference does: its state under
 * `logs/runs/<pipeline>/<run id>.json` and a log of its output under
 * `logs/<run id>__<pipeline>.log`, both in the repository holding the
 * pipeline (the nearest folder above it with a `.git`), else in the
 * pipeline's folder. `--continue` reads the newest state back.
 */

/** The flags a run was started with, as `--continue` restores them. */
export interface RunParameters {
  /** The interval's ends, as `formatInstant` writes them (to the microsecond). */
  start_date: string;
  end_date: string;
  workers: number;
  full_refresh: boolean;
  /** `--var` and BRUIN_VARS as they applied: one JSON object. */
  vars: Record<string, unknown>;
  only?: ("main" | "checks")[] | undefined;
  tags?: string[] | undefined;
  exclude_tags?: string[] | undefined;
  selector?: string | undefined;
  downstream: boolean;
  modified: boolean;
  single_check?: string | undefined;
  environment?: string | undefined;
  validation: boolean;
  /** `--backfill-id`: the backfill this run is a partition of (as the reference records it). */
  backfill_id?: string;
  /** `--backfill-total`: how many partitions that backfill has. */
  backfill_total?: number;
  /** `--apply-interval-modifiers`. */
  apply_interval_modifiers?: boolean;
  /** `--variant`: the pipeline variant the run used. */
  variant?: string;
  /** `--sensor-mode`. */
  sensor_mode?: string;
  /** A full refresh without a start date: each asset started at its start_date (else the pipeline's). */
  from_start_dates?: boolean;
}

export interface TaskState {
  /** The task's ID: `asset`, `asset:column:check`, `asset:custom-check:name`. */
  id: string;
  asset: string;
  /** succeeded, failed, upstream_failed or skipped (interrupted, or never reached). */
  status: string;
}

export interface RunState {
  version: 1;
  run_id: string;
  /** When the run ended, ISO 8601: the newest state is the one `--continue` takes. */
  timestamp: string;
  pipeline: string;
  /** The path the run was given (a pipeline folder or an asset file), absolute. */
  path: string;
  parameters: RunParameters;
  state: TaskState[];
}

/** The repository holding `dir` (the nearest folder with a `.git`), else `dir` itself. */
export function outputRoot(dir: string): string {
  return repositoryRoot(dir) ?? path.resolve(dir);
}

/** `2024_01_31_14_05_09`, the reference's form, in UTC. */
export function newRunId(now = new Date()): string {
  return now.toISOString().slice(0, 19).replace(/[-T:]/g, "_");
}

/** A pipeline name as one folder or file name part. */
const safe = (name: string) => name.replace(/[/\\:]/g, "_");

export function stateFolder(root: string, pipeline: string): string {
  return path.join(root, "logs", "runs", safe(pipeline));
}

/**
 * Writes the state as `<run id>.json` (`_2`, `_3`, … when a run of the same
 * second wrote one), masked by `mask` as the run's output is (a `--var` may
 * hold a secret's value). When masking fails nothing is written.
 */
export async function writeRunState(
  root: string,
  state: RunState,
  mask: (text: string) => string,
): Promise<string | undefined> {
  let text: string;
  try {
    text = mask(`${JSON.stringify(state, null, 2)}\n`);
  } catch {
    return undefined;
  }
  const folder = stateFolder(root, state.pipeline);
  await mkdir(folder, { recursive: true });
  let file = path.join(folder, `${state.run_id}.json`);
  for (let n = 2; existsSync(file); n++) file = path.join(folder, `${state.run_id}_${n}.json`);
  await writeFile(file, text);
  return file;
}

/** A state file that cannot be read back: `--continue` fails (exit 1), as the reference's "Failed to restore state". */
export class RestoreStateError extends Error {
  readonly exitCode = EXIT.failed;
}

/** The newest state of the pipeline's runs. */
export async function latestRunState(root: string, pipeline: string): Promise<RunState> {
  const folder = stateFolder(root, pipeline);
  const files = existsSync(folder) ? (await readdir(folder)).filter((name) => name.endsWith(".json")) : [];
  let latest: RunState | undefined;
  for (const name of files) {
    let state: RunState;
    try {
      state = JSON.parse(await readFile(path.join(folder, name), "utf8")) as RunState;
    } catch {
      continue;
    }
    if (state?.version !== 1 || !Array.isArray(state.state) || typeof state.timestamp !== "string") continue;
    if (!latest || state.timestamp > latest.timestamp) latest = state;
  }
  if (!latest) {
    throw new RestoreStateError(
      `Failed to restore state: no run of pipeline '${pipeline}' to continue (nothing in ${path.relative(root, folder) || folder})`,
    );
  }
  return latest;
}

/** Adds each pattern to the repository's .gitignore unless a line already says it (as the reference does). */
export async function ensureGitignored(root: string, patterns: readonly string[]): Promise<void> {
  if (!existsSync(path.join(root, ".git"))) return;
  const file = path.join(root, ".gitignore");
  const text = existsSync(file) ? await readFile(file, "utf8") : "";
  const lines = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const missing = patterns.filter((pattern) => !lines.has(pattern));
  if (missing.length === 0) return;
  const separator = text === "" || text.endsWith("\n") ? "" : "\n";
  await appendFile(file, `${separator}${missing.join("\n")}\n`);
}

// Colour and cursor sequences, as the reference's log strips them.
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

/**
 * The run's log: everything the run prints on stdout and stderr, masked by
 * the run's own Redactor (the one the terminal output goes through) and
 * without colour. Held in memory until the run starts executing (`open`), so
 * a run refused before that leaves no file; then appended to the file as it
 * is printed. A live status line (redrawn with `\r`) keeps only its last
 * form.
 */
export class RunLog {
  /** Complete lines printed and not yet written (masked when written: one mask and one write per batch). */
  private queued = "";
  private flushScheduled = false;
  private file: string | undefined;
  /** The open log file: one handle for the whole run, written in batches. */
  private stream: WriteStream | undefined;
  private partial = "";
  private failed = false;

  constructor(private readonly redactor: Redactor) {}

  /** `text` masked as the log is (throws when it cannot be masked). */
  mask(text: string): string {
    return this.redactor.redact(text);
  }

  /** An io whose stdout and stderr also feed this log. */
  tee(io: CliIO): CliIO {
    const wrap = (stream: CliIO["stdout"]): CliIO["stdout"] => {
      // The terminal's width and whether it is one stay visible through the wrapper.
      const wrapped = {
        write: (text: string) => {
          this.add(text);
          return stream.write(text);
        },
        get isTTY() {
          return stream.isTTY === true;
        },
        get columns() {
          return (stream as { columns?: number }).columns;
        },
      };
      return wrapped;
    };
    return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
  }

  private add(text: string): void {
    if (this.failed) return;
    const whole = this.partial + text;
    const end = whole.lastIndexOf("\n");
    if (end === -1) {
      this.partial = whole;
      return;
    }
    this.partial = whole.slice(end + 1);
    const lines = whole
      .slice(0, end)
      .split("\n")
      .map((line) => line.slice(line.lastIndexOf("\r") + 1).replace(ANSI_SEQUENCE, ""));
    this.queued += `${lines.join("\n")}\n`;
    this.scheduleFlush();
  }

  /** Lines printed in one turn of the event loop are masked and appended together. */
  private scheduleFlush(): void {
    if (this.flushScheduled || !this.stream) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.failed || !this.stream || this.queued === "") return;
    const text = this.queued;
    this.queued = "";
    let masked: string;
    try {
      masked = this.redactor.redact(text);
    } catch {
      // Nothing that could not be masked reaches the file.
      this.failed = true;
      return;
    }
    this.stream.write(masked);
  }

  /** Starts writing to `file` (creating its folder), beginning with what was printed so far. */
  async open(file: string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    this.file = file;
    const stream = createWriteStream(file);
    // A log that cannot be written loses the log, never the run.
    stream.on("error", () => {
      this.failed = true;
    });
    this.stream = stream;
    this.flush();
  }

  /** Waits for every write; the file ends with the last complete line printed. */
  async close(): Promise<void> {
    if (this.partial && this.file && !this.failed) {
      const tail = this.partial.slice(this.partial.lastIndexOf("\r") + 1).replace(ANSI_SEQUENCE, "");
      this.partial = "";
      if (tail.trim() !== "") this.queued += `${tail}\n`;
    }
    this.flush();
    const stream = this.stream;
    this.stream = undefined;
    if (stream && !stream.destroyed) await new Promise<void>((resolve) => stream.end(resolve));
  }
}
