import { randomBytes } from "node:crypto";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { connectLocalServer } from "@bruin-ts/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { materializeAsset } from "./materialize.js";
import { makeAsset } from "./test-support/assets.js";
import { stableNames } from "./test-support/fake-adapter.js";
import { recordingAdapter } from "./test-support/recording-adapter.js";

/**
 * Names without a database part on MySQL/MariaDB: the table lives in the
 * connection's own database (`test`). create+replace looks there for what the
 * name holds already — nothing, a table or a view — an incremental strategy
 * looks there for the table, and a same-named object in another database is
 * left alone. A script runs whole, on one session.
 */
const suffix = randomBytes(4).toString("hex");
const other = `bruin_unq_${suffix}`;
let admin: ConnectionAdapter;
let real: ConnectionAdapter;
const created: string[] = [];

beforeAll(async () => {
  admin = await connectLocalServer("mysql", "admin");
  real = await connectLocalServer("mysql", "db");
  await admin.exec(`CREATE DATABASE \`${other}\``);
});

afterAll(async () => {
  for (const name of created) {
    await admin.exec(`DROP VIEW IF EXISTS \`${name}\``);
    await admin.exec(`DROP TABLE IF EXISTS \`${name}\``);
  }
  await admin.exec(`DROP DATABASE IF EXISTS \`${other}\``);
  await admin.close();
  await real.close();
});

/** A table name of this file's own in the connection's database. */
function tableName(label: string): string {
  const name = `bruin_unq_${label}_${suffix}`;
  created.push(name);
  return name;
}

async function kind(database: string, name: string): Promise<unknown[]> {
  const { rows } = await admin.query(
    `SELECT table_type AS t FROM information_schema.tables WHERE table_schema = '${database}' AND table_name = '${name}'`,
  );
  return rows;
}

/** Replaces the table, recording the statements; the scratch names they used must be gone after. */
async function replace(name: string, query: string): Promise<string[]> {
  const { adapter, log } = recordingAdapter(real);
  try {
    await materializeAsset(
      adapter,
      makeAsset(name, { type: "my.sql", platform: "mysql", materialization: { type: "table" } }),
      query,
    );
  } finally {
    for (const scratch of new Set(log.join("\n").match(/__bruin_(tmp|old)_[0-9a-f]{12}/g) ?? [])) {
      expect(await kind("test", scratch), scratch).toEqual([]);
    }
  }
  return stableNames(log);
}

const lookup = (name: string) =>
  `query: SELECT table_type AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '${name}'`;

describe("create+replace of a name without a database on MySQL/MariaDB", () => {
  it("creates the table in the connection's database, then replaces it with a table of other columns", async () => {
    const name = tableName("t");
    expect(await replace(name, "SELECT 1 AS a")).toEqual([
      `exec: CREATE TABLE \`__bruin_tmp_X\` AS\nSELECT 1 AS a`,
      lookup(name),
      `exec: RENAME TABLE \`__bruin_tmp_X\` TO \`${name}\``,
    ]);
    expect(await kind("test", name)).toEqual([{ t: "BASE TABLE" }]);
    expect((await admin.query(`SELECT a FROM test.\`${name}\``)).rows).toEqual([{ a: 1 }]);

    expect(await replace(name, "SELECT 'x' AS b UNION ALL SELECT 'y'")).toEqual([
      `exec: CREATE TABLE \`__bruin_tmp_X\` AS\nSELECT 'x' AS b UNION ALL SELECT 'y'`,
      lookup(name),
      `exec: RENAME TABLE \`${name}\` TO \`__bruin_old_X\`, \`__bruin_tmp_X\` TO \`${name}\``,
      "exec: DROP TABLE `__bruin_old_X`",
    ]);
    expect((await admin.query(`SELECT b FROM test.\`${name}\` ORDER BY b`)).rows).toEqual([{ b: "x" }, { b: "y" }]);
  });

  it("replaces a view of that name with a table, dropping the view", async () => {
    const name = tableName("v");
    await admin.exec(`CREATE VIEW test.\`${name}\` AS SELECT 1 AS n`);
    expect(await replace(name, "SELECT 2 AS n")).toEqual([
      `exec: CREATE TABLE \`__bruin_tmp_X\` AS\nSELECT 2 AS n`,
      lookup(name),
      `exec: RENAME TABLE \`${name}\` TO \`__bruin_old_X\`, \`__bruin_tmp_X\` TO \`${name}\``,
      "exec: DROP VIEW `__bruin_old_X`",
    ]);
    expect(await kind("test", name)).toEqual([{ t: "BASE TABLE" }]);
    expect((await admin.query(`SELECT n FROM test.\`${name}\``)).rows).toEqual([{ n: 2 }]);
  });

  it("does not take a same-named table in another database for its own", async () => {
    const name = tableName("o");
    await admin.exec(`CREATE TABLE \`${other}\`.\`${name}\` AS SELECT 7 AS n`);
    const log = await replace(name, "SELECT 3 AS n");
    expect(log.at(-1)).toBe(`exec: RENAME TABLE \`__bruin_tmp_X\` TO \`${name}\``);
    expect((await admin.query(`SELECT n FROM test.\`${name}\``)).rows).toEqual([{ n: 3 }]);
    expect((await admin.query(`SELECT n FROM \`${other}\`.\`${name}\``)).rows).toEqual([{ n: 7 }]);

    // And the qualified name in the other database finds that table, not the one in `test`.
    const qualified = `${other}.${name}`;
    const { adapter, log: qualifiedLog } = recordingAdapter(real);
    await materializeAsset(
      adapter,
      makeAsset(qualified, { type: "my.sql", platform: "mysql", materialization: { type: "table" } }),
      "SELECT 8 AS n",
    );
    expect(stableNames(qualifiedLog).slice(-3)).toEqual([
      `query: SELECT table_type AS t FROM information_schema.tables WHERE table_schema = '${other}' AND table_name = '${name}'`,
      `exec: RENAME TABLE \`${other}\`.\`${name}\` TO \`${other}\`.\`__bruin_old_X\`, \`${other}\`.\`__bruin_tmp_X\` TO \`${other}\`.\`${name}\``,
      `exec: DROP TABLE \`${other}\`.\`__bruin_old_X\``,
    ]);
    expect((await admin.query(`SELECT n FROM \`${other}\`.\`${name}\``)).rows).toEqual([{ n: 8 }]);
    expect((await admin.query(`SELECT n FROM test.\`${name}\``)).rows).toEqual([{ n: 3 }]);
  });

  it("a failing query leaves the table as it was and no scratch table", async () => {
    const name = tableName("f");
    await replace(name, "SELECT 1 AS n");
    const { adapter, log } = recordingAdapter(real);
    await expect(
      materializeAsset(
        adapter,
        makeAsset(name, { type: "my.sql", platform: "mysql", materialization: { type: "table" } }),
        "SELECT q.* FROM (SELECT 1 AS n) AS q WHERE (SELECT 1 UNION ALL SELECT 2) = 1",
      ),
    ).rejects.toThrow(/more than 1 row/);
    expect(stableNames(log)).toEqual([
      `exec: CREATE TABLE \`__bruin_tmp_X\` AS\nSELECT q.* FROM (SELECT 1 AS n) AS q WHERE (SELECT 1 UNION ALL SELECT 2) = 1`,
      "exec: DROP TABLE IF EXISTS `__bruin_tmp_X`",
    ]);
    expect((await admin.query(`SELECT n FROM test.\`${name}\``)).rows).toEqual([{ n: 1 }]);
  });
});

describe("incremental strategies and scripts with a name without a database on MySQL/MariaDB", () => {
  const exists = (name: string) =>
    `query: SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = '${name}' AND table_schema = DATABASE()`;
  const appendAsset = (name: string) =>
    makeAsset(name, { type: "my.sql", platform: "mysql", materialization: { type: "table", strategy: "append" } });

  it("append looks for the table in the connection's database: creates it there, then appends to it", async () => {
    const name = tableName("a");
    // A same-named table elsewhere is not the one appended to.
    await admin.exec(`CREATE TABLE \`${other}\`.\`${name}\` AS SELECT 9 AS n`);
    const first = recordingAdapter(real);
    await materializeAsset(first.adapter, appendAsset(name), "SELECT 1 AS n");
    expect(stableNames(first.log).slice(0, 2)).toEqual([
      exists(name),
      "exec: CREATE TABLE `__bruin_tmp_X` AS\nSELECT 1 AS n",
    ]);
    const second = recordingAdapter(real);
    await materializeAsset(second.adapter, appendAsset(name), "SELECT 2 AS n");
    expect(stableNames(second.log)).toEqual([
      exists(name),
      "exec: CREATE TABLE `__bruin_tmp_X` AS\nSELECT 2 AS n",
      "query: SELECT * FROM `__bruin_tmp_X` WHERE 1 = 0",
      "BEGIN",
      `INSERT INTO \`${name}\` (\`n\`) SELECT \`n\` FROM \`__bruin_tmp_X\``,
      "COMMIT",
      "exec: DROP TABLE IF EXISTS `__bruin_tmp_X`",
    ]);
    expect((await admin.query(`SELECT n FROM test.\`${name}\` ORDER BY n`)).rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await admin.query(`SELECT n FROM \`${other}\`.\`${name}\``)).rows).toEqual([{ n: 9 }]);
  });

  it("an asset without materialization runs as one script, on one session", async () => {
    const name = tableName("s");
    await admin.exec(`CREATE TABLE test.\`${name}\` (v TEXT)`);
    const script = `SET @bruin_unq := 'x;y'; INSERT INTO \`${name}\` VALUES (@bruin_unq);`;
    const { adapter, log } = recordingAdapter(real);
    await materializeAsset(adapter, makeAsset(name, { type: "my.sql", platform: "mysql" }), script);
    expect(log).toEqual([`exec: ${script}`]);
    expect((await admin.query(`SELECT v FROM test.\`${name}\``)).rows).toEqual([{ v: "x;y" }]);
  });
});
