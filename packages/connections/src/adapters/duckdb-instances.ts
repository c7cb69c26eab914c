import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { DuckDBInstance } from "@duckdb/node-api";
import { duckdb } from "./duckdb-module.js";
import { Mutex } from "../mutex.js";

/**
 * One DuckDB instance per database file per process, shared by every adapter
 * on that file and reference counted: the file is released when the last
 * adapter closes, so it can be reopened (by us or another process) afterwards.
 * All statements against one file go through its mutex: one writer per file.
 */
export interface SharedInstance {
  readonly key: string;
  readonly instance: DuckDBInstance;
  readonly mutex: Mutex;
  readonly readOnly: boolean;
  /** Drops one reference; closes the instance when none are left. */
  release(): void;
}

interface Entry {
  readOnly: boolean;
  refs: number;
  mutex: Mutex;
  ready: Promise<DuckDBInstance>;
  instance?: DuckDBInstance;
}

const entries = new Map<string, Entry>();
let memoryCounter = 0;

export const MEMORY_PATH = ":memory:";

/**
 * The file is held by another process. DuckDB says so as
 * `IO Error: Could not set lock on file "…": Conflicting lock is held in /usr/bin/node (PID 4242). See also …`.
 */
export class FileLockedError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string | undefined,
    readonly pid: number | undefined,
    readonly waitedMs: number,
    options: { cause: unknown },
  ) {
    super(`the database file ${path} is locked by ${holder ?? "another process"}`, options);
    this.name = "FileLockedError";
  }
}

const LOCK_MESSAGE =
  /Could not set lock on file "([^"]*)":\s*Conflicting lock is held in (.*?)(?:\s*\(PID (\d+)\))?\.?(?:\s+See also|\s*$)/;
/** How long to sleep between attempts while waiting for a lock: short at first, then at most this. */
const LOCK_POLL_MAX_MS = 250;

function lockOf(error: unknown): { path: string; holder: string | undefined; pid: number | undefined } | undefined {
  const match = error instanceof Error ? LOCK_MESSAGE.exec(error.message) : null;
  if (!match) return undefined;
  const pid = match[3] ? Number(match[3]) : undefined;
  const program = match[2]?.trim();
  const holder = program
    ? pid !== undefined
      ? `${program} (PID ${pid})`
      : program
    : pid !== undefined
      ? `PID ${pid}`
      : undefined;
  return { path: match[1]!, holder, pid };
}

export async function acquireInstance(
  path: string,
  readOnly: boolean,
  options: { lockTimeoutMs?: number } = {},
): Promise<SharedInstance> {
  // Every in-memory connection is a database of its own.
  const key = path === MEMORY_PATH ? `${MEMORY_PATH}#${++memoryCounter}` : resolve(path);
  let entry = entries.get(key);
  if (entry && entry.readOnly !== readOnly) {
    const mode = entry.readOnly ? "read-only" : "read-write";
    throw new Error(
      `the database file is already open ${mode} in this process; every connection to it must use the same read_only setting`,
    );
  }
  if (!entry) {
    const created: Entry = {
      readOnly,
      refs: 0,
      mutex: new Mutex(),
      ready: createWaiting(path, key, readOnly, options.lockTimeoutMs ?? 0),
    };
    created.ready.then(
      (instance) => (created.instance = instance),
      () => entries.get(key) === created && entries.delete(key),
    );
    entries.set(key, created);
    entry = created;
  }
  entry.refs++;
  const owner = entry;
  let instance: DuckDBInstance;
  try {
    instance = await owner.ready;
  } catch (error) {
    owner.refs--;
    throw error;
  }
  let released = false;
  return {
    key,
    instance,
    mutex: owner.mutex,
    readOnly,
    release() {
      if (released) return;
      released = true;
      owner.refs--;
      if (owner.refs === 0 && entries.get(key) === owner) {
        entries.delete(key);
        instance.closeSync();
      }
    },
  };
}

/** Creates the instance, waiting up to `lockTimeoutMs` while another process holds the file. */
async function createWaiting(
  path: string,
  key: string,
  readOnly: boolean,
  lockTimeoutMs: number,
): Promise<DuckDBInstance> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await createInstance(path, key, readOnly);
    } catch (error) {
      const lock = lockOf(error);
      if (!lock) throw error;
      const waited = Date.now() - started;
      if (waited >= lockTimeoutMs)
        throw new FileLockedError(lock.path, lock.holder, lock.pid, lockTimeoutMs, { cause: error });
      const pause = Math.min(LOCK_POLL_MAX_MS, 25 * 2 ** attempt, lockTimeoutMs - waited);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

async function createInstance(path: string, key: string, readOnly: boolean): Promise<DuckDBInstance> {
  if (path === MEMORY_PATH) return duckdb.DuckDBInstance.create(MEMORY_PATH);
  if (!readOnly) await mkdir(dirname(key), { recursive: true });
  return duckdb.DuckDBInstance.create(key, readOnly ? { access_mode: "READ_ONLY" } : {});
}

/** How many files are open, for tests. */
export function openInstanceCount(): number {
  return entries.size;
}
