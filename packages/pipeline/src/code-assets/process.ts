import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { PassThrough, type Readable } from "node:stream";

export type OutputStream = "stdout" | "stderr";

export interface ProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Kill the process tree after this long. */
  timeoutMs?: number;
  /** Kill the process tree when this aborts (Ctrl-C). */
  signal?: AbortSignal;
  /** How long SIGTERM has before SIGKILL; default 5 s. */
  graceMs?: number;
  /** Each line of output, as it comes. */
  onLine?: (stream: OutputStream, line: string) => void;
  /**
   * Reads a third pipe (the child's fd 3) while the process runs. When it
   * rejects, the process tree is killed and the run rejects with its error.
   */
  readData?: (data: Readable) => Promise<void>;
}

export interface ProcessResult {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  /** The last lines of output (both streams), for the failure message. */
  tail: string[];
  /** What `readData` rejected with (the process tree was then killed). */
  dataError?: unknown;
}

const TAIL_LINES = 20;

/**
 * Runs a process in its own process group, streaming its output line by
 * line. At the timeout, or when `signal` aborts, the whole group gets SIGTERM,
 * then SIGKILL after the grace period, so children the script started go too.
 */
export async function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", options.readData ? "pipe" : "ignore"],
  });
  // Piped at once: Node discards what an extra pipe holds unread when the child exits.
  const rawData = child.stdio[3] as Readable | null | undefined;
  const dataStream = options.readData && rawData ? rawData.pipe(new PassThrough()) : undefined;
  const tail: string[] = [];
  let timedOut = false;
  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;
  let exited = false;

  const killGroup = (sig: NodeJS.Signals) => {
    if (exited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  const stop = () => {
    if (killTimer) return;
    killGroup("SIGTERM");
    killTimer = setTimeout(() => killGroup("SIGKILL"), options.graceMs ?? 5000);
    killTimer.unref();
  };

  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  child.once("exit", () => {
    // The group may still hold the script's own children: they go with it.
    killGroup("SIGKILL");
    exited = true;
  });

  const lines = (stream: Readable, name: OutputStream) => {
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    reader.on("line", (line) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(name, line);
    });
  };
  lines(child.stdout!, "stdout");
  lines(child.stderr!, "stderr");

  const timer =
    options.timeoutMs !== undefined ? setTimeout(() => ((timedOut = true), stop()), options.timeoutMs) : undefined;
  const onAbort = () => {
    interrupted = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    await spawned;
    let dataError: unknown;
    let failed = false;
    const data =
      options.readData && dataStream
        ? options.readData(dataStream).catch((error: unknown) => {
            failed = true;
            dataError = error;
            stop();
            // The reader may have stopped mid-stream: the pipe is closed, or the child's 'close' would never come.
            rawData?.destroy();
          })
        : Promise.resolve();
    const [{ code, signal }] = await Promise.all([closed, data]);
    return { code, signal, timedOut, interrupted, tail, ...(failed ? { dataError } : {}) };
  } finally {
    if (timer) clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** `1.5s`, `2m`, `1h 5m`: a timeout as messages give it. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  if (minutes < 60) return rest ? `${minutes}m${rest}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ""}`;
}
