import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
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

export async function acquireInstance(path: string, readOnly: boolean): Promise<SharedInstance> {
  // Every in-memory connection is a database of its own.
  const key = path === MEMORY_PATH ? `${MEMORY_PATH}#${++memoryCounter}` : resolve(path);
  let entry = entries.get(key);
  if (entry && entry.readOnly !== readOnly) {
    const mode = entry.readOnly ? "read-only" : "read-write";
    throw new Error(`the database file is already open ${mode} in this process; every connection to it must use the same read_only setting`);
  }
  if (!entry) {
    const created: Entry = { readOnly, refs: 0, mutex: new Mutex(), ready: createInstance(path, key, readOnly) };
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

async function createInstance(path: string, key: string, readOnly: boolean): Promise<DuckDBInstance> {
  if (path === MEMORY_PATH) return DuckDBInstance.create(MEMORY_PATH);
  if (!readOnly) await mkdir(dirname(key), { recursive: true });
  return DuckDBInstance.create(key, readOnly ? { access_mode: "READ_ONLY" } : {});
}

/** How many files are open, for tests. */
export function openInstanceCount(): number {
  return entries.size;
}
