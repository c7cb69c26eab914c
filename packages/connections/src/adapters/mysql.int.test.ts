import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError } from "../errors.js";
import { openConnection } from "../open.js";
import type { ConnectionAdapter } from "../types.js";
import { validateConnection } from "../validate.js";

const SECRET = "S3cr3t-Pa55w0rd!";
const prefix = `bruin_it_${randomBytes(4).toString("hex")}`;
const base = { host: "127.0.0.1", port: 3306, username: "root", database: "test" };

const connect = (details: Record<string, unknown>, name = "warehouse-my") =>
  openConnection(validateConnection({ name, type: "mysql", details }));

let db: ConnectionAdapter;
const created: string[] = [];
const table = (suffix: string) => {
  const name = `${prefix}_${suffix}`;
  created.push(name);
  return name;
};

beforeAll(async () => {
  db = await connect(base);
  try {
    await db.ping();
  } catch (error) {
    await db.close();
    throw new Error(
      `MariaDB/MySQL is not reachable at 127.0.0.1:3306 as root, database test (${(error as Error).message}). ` +
        "Start it with `service mariadb start` and make sure database `test` exists.",
    );
  }
});

afterAll(async () => {
  for (const name of created) await db?.exec(`DROP TABLE IF EXISTS \`${name}\``);
  await db?.close();
});

describe("mysql adapter", () => {
  it("queries with plain JS values", async () => {
    const result = await db.query(
      "SELECT CAST(42 AS SIGNED) AS big, 9007199254740993 AS huge, CAST(12.50 AS DECIMAL(10,2)) AS `dec`, " +
        "DATE '2024-03-05' AS day, TIMESTAMP '2024-03-05 10:20:30' AS ts, 'x' AS str, NULL AS nothing",
    );
    expect(result.columns).toEqual(["big", "huge", "dec", "day", "ts", "str", "nothing"]);
    expect(result.rows).toEqual([
      {
        big: 42,
        huge: "9007199254740993",
        dec: 12.5,
        day: "2024-03-05",
        ts: new Date("2024-03-05T10:20:30Z"),
        str: "x",
        nothing: null,
      },
    ]);
  });

  it("names each column's type, as mysql2 names the type codes", async () => {
    const result = await db.query("SELECT CAST(1 AS SIGNED) AS i, 'x' AS s, 1.5 AS d");
    expect(result.columns).toEqual(["i", "s", "d"]);
    expect(result.columnTypes).toEqual(["LONG", "VAR_STRING", "NEWDECIMAL"]);
  });

  it("answers a statement without a result set with no columns and the rows it changed", async () => {
    const name = table("empty");
    expect(await db.query(`CREATE TABLE \`${name}\` (id INT)`)).toEqual({ columns: [], rows: [], rowsAffected: 0 });
    expect(await db.query(`INSERT INTO \`${name}\` VALUES (1), (2)`)).toEqual({
      columns: [],
      rows: [],
      rowsAffected: 2,
    });
  });

  it("runs a script with exec", async () => {
    const name = table("events");
    await db.exec(`
      CREATE TABLE \`${name}\` (id INT, note TEXT);
      INSERT INTO \`${name}\` VALUES (1, 'a;b'), (2, 'it\\'s; fine');
      -- a comment; with a semicolon
      INSERT INTO \`${name}\` VALUES (3, "e");`);
    expect((await db.query(`SELECT count(*) AS n FROM \`${name}\``)).rows).toEqual([{ n: 3 }]);
  });

  it("rolls back the data statements of a failing transaction", async () => {
    const name = table("revenue");
    await db.exec(`CREATE TABLE \`${name}\` (amount INT NOT NULL)`);
    await db.exec(`INSERT INTO \`${name}\` VALUES (1)`);
    await expect(
      db.transaction([`INSERT INTO \`${name}\` VALUES (2)`, `INSERT INTO \`${name}\` VALUES (NULL)`]),
    ).rejects.toThrow(/^connection 'warehouse-my' \(mysql\): .*cannot be null/i);
    expect((await db.query(`SELECT amount FROM \`${name}\` ORDER BY amount`)).rows).toEqual([{ amount: 1 }]);
    await db.transaction([`INSERT INTO \`${name}\` VALUES (3)`]);
    expect((await db.query(`SELECT count(*) AS n FROM \`${name}\``)).rows).toEqual([{ n: 2 }]);
  });

  it("pings", async () => {
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it("fails quickly with a ConnectionError when the server refuses, without the password", async () => {
    const refused = await connect({ ...base, port: 1, password: SECRET }, "refused-my");
    const started = Date.now();
    try {
      const error = await refused.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toMatch(/^connection 'refused-my' \(mysql\): .*ECONNREFUSED/);
      expect((error as ConnectionError).message).not.toContain(SECRET);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await refused.close();
    }
  });
});
