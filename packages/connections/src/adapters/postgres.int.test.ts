import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError } from "../errors.js";
import { openConnection } from "../open.js";
import type { ConnectionAdapter } from "../types.js";
import { validateConnection } from "../validate.js";

const SECRET = "S3cr3t-Pa55w0rd!";
const schema = `bruin_it_${randomBytes(4).toString("hex")}`;
const base = { host: "127.0.0.1", port: 5432, username: "postgres", password: SECRET, database: "test" };

const connect = (details: Record<string, unknown>, name = "warehouse-pg") =>
  openConnection(validateConnection({ name, type: "postgres", details }));

let admin: ConnectionAdapter;
let db: ConnectionAdapter;

beforeAll(async () => {
  admin = await connect(base, "admin");
  try {
    await admin.ping();
  } catch (error) {
    await admin.close();
    throw new Error(
      `PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres, database test (${(error as Error).message}). ` +
        "Start it with `service postgresql start` (trust auth for local connections).",
    );
  }
  await admin.exec(`CREATE SCHEMA ${schema}`);
  db = await connect({ ...base, schema });
});

afterAll(async () => {
  await db?.close();
  await admin?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.close();
});

describe("postgres adapter", () => {
  it("queries with plain JS values", async () => {
    const result = await db.query(
      "SELECT 42::int8 AS big, 9007199254740993::int8 AS huge, 12.50::numeric AS dec, " +
        "12345678901234567890.5::numeric AS wide, DATE '2024-03-05' AS day, 'x'::text AS str, NULL::int AS nothing",
    );
    expect(result.columns).toEqual(["big", "huge", "dec", "wide", "day", "str", "nothing"]);
    expect(result.rows).toEqual([
      {
        big: 42,
        huge: "9007199254740993",
        dec: 12.5,
        wide: "12345678901234567890.5",
        day: "2024-03-05",
        str: "x",
        nothing: null,
      },
    ]);
  });

  it("answers a statement without a result set with no columns and the rows it changed", async () => {
    expect(await db.query("CREATE TABLE affected (id int)")).toEqual({ columns: [], rows: [] });
    expect(await db.query("INSERT INTO affected VALUES (1), (2), (3)")).toEqual({
      columns: [],
      rows: [],
      rowsAffected: 3,
    });
    expect(await db.query("DELETE FROM affected WHERE id > 1")).toEqual({ columns: [], rows: [], rowsAffected: 2 });
  });

  it("names each column's type, as PostgreSQL's built-in type names", async () => {
    const result = await db.query("SELECT 1::int AS i, 'x'::text AS t, 1.5::numeric AS n, now() AS ts, true AS b");
    expect(result.columns).toEqual(["i", "t", "n", "ts", "b"]);
    expect(result.columnTypes).toEqual(["INT4", "TEXT", "NUMERIC", "TIMESTAMPTZ", "BOOL"]);
  });

  it("runs a script with exec in the configured schema", async () => {
    await db.exec(`
      CREATE TABLE events (id int, note text);
      INSERT INTO events VALUES (1, 'a;b'), (2, $$c;d$$);
      -- a comment; with a semicolon
      INSERT INTO events VALUES (3, 'e');`);
    const { rows } = await admin.query(`SELECT count(*) AS n FROM ${schema}.events`);
    expect(rows).toEqual([{ n: 3 }]);
  });

  it("rolls back a failing transaction, leaving the previous table", async () => {
    await db.exec("CREATE TABLE revenue AS SELECT 1 AS amount");
    await expect(
      db.transaction(["DROP TABLE revenue", "CREATE TABLE revenue AS SELECT 1 / 0 AS amount"]),
    ).rejects.toThrow(/^connection 'warehouse-pg' \(postgres\): division by zero/);
    expect((await db.query("SELECT amount FROM revenue")).rows).toEqual([{ amount: 1 }]);
    await db.transaction(["DROP TABLE revenue", "CREATE TABLE revenue AS SELECT 2 AS amount"]);
    expect((await db.query("SELECT amount FROM revenue")).rows).toEqual([{ amount: 2 }]);
  });

  it("pings", async () => {
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it("fails quickly with a ConnectionError when the server refuses, without the password", async () => {
    const refused = await connect({ ...base, port: 1 }, "refused-pg");
    const started = Date.now();
    try {
      const error = await refused.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toMatch(/^connection 'refused-pg' \(postgres\): .*ECONNREFUSED/);
      expect((error as ConnectionError).message).not.toContain(SECRET);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await refused.close();
    }
  });
});
