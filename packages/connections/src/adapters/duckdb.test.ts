import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError, DatabaseLockedError } from "../errors.js";
import { openConnection } from "../open.js";
import type { ConnectionAdapter, ValidatedConnection } from "../types.js";
import { openInstanceCount } from "./duckdb-instances.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bruin-duckdb-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const duck = (path: string, extra: Record<string, unknown> = {}): ValidatedConnection => ({
  name: "warehouse",
  type: "duckdb",
  details: { path, ...extra },
});

async function withAdapter<T>(path: string, use: (db: ConnectionAdapter) => Promise<T>): Promise<T> {
  const db = await openConnection(duck(path));
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

describe("DuckDB adapter", () => {
  it("converts values to plain JS", async () => {
    await withAdapter(":memory:", async (db) => {
      const result = await db.query(`
        SELECT 42::BIGINT AS big, 9007199254740993::BIGINT AS huge, 170141183460469231731687303715884105727::HUGEINT AS hugeint,
               12.50::DECIMAL(10,2) AS dec, DATE '2024-03-05' AS day, TIMESTAMP '2024-03-05 10:20:30' AS ts,
               [1, 2, 3] AS list, {'a': 1, 'b': 'x'} AS struct, NULL AS nothing, 'text' AS str, true AS flag,
               [DATE '2024-01-02'] AS dates`);
      expect(result.columns).toEqual([
        "big",
        "huge",
        "hugeint",
        "dec",
        "day",
        "ts",
        "list",
        "struct",
        "nothing",
        "str",
        "flag",
        "dates",
      ]);
      const [row] = result.rows;
      expect(row).toEqual({
        big: 42,
        huge: "9007199254740993",
        hugeint: "170141183460469231731687303715884105727",
        dec: 12.5,
        day: "2024-03-05",
        ts: new Date("2024-03-05T10:20:30.000Z"),
        list: [1, 2, 3],
        struct: { a: 1, b: "x" },
        nothing: null,
        str: "text",
        flag: true,
        dates: ["2024-01-02"],
      });
    });
  });

  it("answers a statement without a result set with no columns, and DML with the rows it changed", async () => {
    await withAdapter(":memory:", async (db) => {
      expect(await db.query("CREATE TABLE t (x INTEGER)")).toEqual({ columns: [], rows: [] });
      expect(await db.query("INSERT INTO t VALUES (1), (2), (3)")).toEqual({ columns: [], rows: [], rowsAffected: 3 });
      expect(await db.query("UPDATE t SET x = 0 WHERE x > 1")).toEqual({ columns: [], rows: [], rowsAffected: 2 });
      expect(await db.query("SELECT x FROM t WHERE x > 5")).toEqual({
        columns: ["x"],
        columnTypes: ["INTEGER"],
        rows: [],
      });
      expect(await db.query("INSERT INTO t VALUES (9) RETURNING x")).toEqual({
        columns: ["x"],
        columnTypes: ["INTEGER"],
        rows: [{ x: 9 }],
      });
      expect((await db.query("SELECT 'a' AS s, 1.5::DOUBLE AS d, DATE '2024-01-01' AS day")).columnTypes).toEqual([
        "VARCHAR",
        "DOUBLE",
        "DATE",
      ]);
    });
  });

  it("runs a multi-statement script with exec", async () => {
    await withAdapter(":memory:", async (db) => {
      await db.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
      const { rows } = await db.query("SELECT sum(x) AS total FROM t");
      expect(rows).toEqual([{ total: 3 }]);
    });
  });

  it("rolls back a failing transaction, leaving the previous table", async () => {
    await withAdapter(":memory:", async (db) => {
      await db.exec("CREATE TABLE revenue AS SELECT 1 AS amount");
      await expect(
        db.transaction(["CREATE OR REPLACE TABLE revenue AS SELECT 2 AS amount", "SELECT * FROM no_such_table"]),
      ).rejects.toThrow(ConnectionError);
      expect((await db.query("SELECT amount FROM revenue")).rows).toEqual([{ amount: 1 }]);
      await db.transaction(["CREATE OR REPLACE TABLE revenue AS SELECT 3 AS amount"]);
      expect((await db.query("SELECT amount FROM revenue")).rows).toEqual([{ amount: 3 }]);
    });
  });

  it("wraps driver errors in a ConnectionError naming the connection", async () => {
    await withAdapter(":memory:", async (db) => {
      const error = await db.query("SELEC 1").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toMatch(/^connection 'warehouse' \(duckdb\): .*syntax error/i);
    });
  });

  it("serializes writes from two adapters on the same file", async () => {
    const path = join(dir, "shared.duckdb");
    const [a, b] = await Promise.all([openConnection(duck(path)), openConnection(duck(path))]);
    try {
      await a.exec("CREATE TABLE events (id INTEGER, source VARCHAR)");
      const writes = Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).transaction([
          `CREATE OR REPLACE TABLE copy_${i % 3} AS SELECT * FROM events`,
          `INSERT INTO events VALUES (${i}, '${i % 2 ? "a" : "b"}')`,
        ]),
      );
      await Promise.all(writes);
      expect((await b.query("SELECT count(*) AS n FROM events")).rows).toEqual([{ n: 10 }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("releases the file when the last adapter closes, so it can be reopened", async () => {
    const path = join(dir, "reopen.duckdb");
    const before = openInstanceCount();
    await withAdapter(path, (db) => db.exec("CREATE TABLE kept AS SELECT 7 AS v"));
    expect(openInstanceCount()).toBe(before);
    // A read-only open needs the file to be released by the read-write instance.
    const reader = await openConnection(duck(path, { read_only: true }));
    try {
      expect((await reader.query("SELECT v FROM kept")).rows).toEqual([{ v: 7 }]);
      await expect(reader.exec("CREATE TABLE nope (x INT)")).rejects.toThrow(/read-only/i);
    } finally {
      await reader.close();
    }
  });

  it("refuses to open a file read-only while it is open read-write in this process", async () => {
    const path = join(dir, "modes.duckdb");
    const writer = await openConnection(duck(path));
    try {
      await expect(openConnection(duck(path, { read_only: true }))).rejects.toThrow(
        /^connection 'warehouse' \(duckdb\): the database file is already open read-write in this process/,
      );
      await expect(writer.ping()).resolves.toBeUndefined();
    } finally {
      await writer.close();
    }
  });

  it("creates the parent folder of a new database file", async () => {
    const path = join(dir, "nested", "deeper", "new.duckdb");
    await withAdapter(path, (db) => db.ping());
    expect((await stat(path)).isFile()).toBe(true);
  });

  it("refuses statements after close", async () => {
    const db = await openConnection(duck(":memory:"));
    await db.close();
    await expect(db.query("SELECT 1")).rejects.toThrow(/connection 'warehouse' \(duckdb\): the connection is closed/);
  });
});

/** Another process holding `path` open read-write, until `release()` (or `holdMs`). */
async function holdFile(path: string, holdMs = 30_000): Promise<{ pid: number; release(): Promise<void> }> {
  const { spawn } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const script = [
    'import { DuckDBInstance } from "@duckdb/node-api";',
    `const instance = await DuckDBInstance.create(${JSON.stringify(path)});`,
    "const connection = await instance.connect();",
    'await connection.run("CREATE TABLE IF NOT EXISTS held (x INTEGER)");',
    'process.stdout.write("held\\n");',
    `const timer = setTimeout(() => {}, ${holdMs});`,
    'process.stdin.on("data", () => { connection.closeSync(); instance.closeSync(); clearTimeout(timer); process.exit(0); });',
  ].join("\n");
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve());
    child.on("exit", (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return {
    pid: child.pid!,
    release: () =>
      new Promise<void>((resolve) => {
        child.on("exit", () => resolve());
        child.stdin.write("go\n");
      }),
  };
}

describe("DuckDB file locked by another process", () => {
  it("fails at once with DatabaseLockedError naming the holder's PID", async () => {
    const path = join(dir, "locked.duckdb");
    const holder = await holdFile(path);
    try {
      const opening = openConnection(duck(path));
      await expect(opening).rejects.toBeInstanceOf(DatabaseLockedError);
      const error = (await opening.catch((e: unknown) => e)) as DatabaseLockedError;
      expect(error.pid).toBe(holder.pid);
      expect(error.path).toBe(path);
      expect(error.message).toMatch(
        new RegExp(
          `^connection 'warehouse' \\(duckdb\\): the database file .*locked\\.duckdb is locked by another process, .+ \\(PID ${holder.pid}\\)$`,
        ),
      );
      expect(openInstanceCount()).toBe(0);
    } finally {
      await holder.release();
    }
  });

  it("waits up to lockTimeoutMs and opens once the holder lets go", async () => {
    const path = join(dir, "released.duckdb");
    const holder = await holdFile(path);
    setTimeout(() => void holder.release(), 400);
    const started = Date.now();
    const db = await openConnection(duck(path), { lockTimeoutMs: 10_000 });
    try {
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect((await db.query("SELECT count(*) AS n FROM held")).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it("gives up after lockTimeoutMs, saying how long it waited", async () => {
    const path = join(dir, "still-locked.duckdb");
    const holder = await holdFile(path);
    try {
      const started = Date.now();
      await expect(openConnection(duck(path), { lockTimeoutMs: 500 })).rejects.toThrow(
        /is locked by another process, .* \(waited 0\.5s\)$/,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    } finally {
      await holder.release();
    }
  });
});
