import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { runPipelineFolder } from "./test-support/duckdb-run.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";

/**
 * create+replace on MySQL/MariaDB where the name holds a view, or a table,
 * already: the new table takes its place, the old object of either kind is
 * dropped, and no scratch table is left behind.
 */
const { name: db, admin } = scratchNamespace("mysql", "bruin_kinds");

describe("create+replace over an existing view or table on MySQL/MariaDB", () => {
  const root = writeTree(scratchDir("bruin-kinds-"), {
    "pipeline.yml": "name: kinds\ndefault_connections:\n  mysql: db\n",
  });
  const run = (name: string, materialization: string, query: string) => {
    writeTree(root, {
      "assets/t.sql": sqlAsset(`name: ${db}.${name}\ntype: my.sql\nmaterialization: {type: ${materialization}}`, query),
    });
    return runPipelineFolder(root, (n) => openLocalServer("mysql", n));
  };
  const kind = async (name: string) =>
    (
      await admin().query(
        `SELECT table_type AS t FROM information_schema.tables WHERE table_schema = '${db}' AND table_name = '${name}'`,
      )
    ).rows;
  const leftovers = async () =>
    (
      await admin().query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${db}' AND table_name LIKE '\\_\\_bruin%'`,
      )
    ).rows;

  it("a view becomes a table", async () => {
    expect((await run("was_view", "view", "SELECT 1 AS n")).ok).toBe(true);
    expect(await kind("was_view")).toEqual([{ t: "VIEW" }]);
    const result = await run("was_view", "table", "SELECT 2 AS n");
    expect(result.tasks.map((t) => [t.status, t.error])).toEqual([["succeeded", undefined]]);
    expect(await kind("was_view")).toEqual([{ t: "BASE TABLE" }]);
    expect((await admin().query(`SELECT n FROM ${db}.was_view`)).rows).toEqual([{ n: 2 }]);
    expect(await leftovers()).toEqual([]);
  });

  it("a table is replaced by a table with other columns", async () => {
    expect((await run("was_table", "table", "SELECT 1 AS a")).ok).toBe(true);
    const result = await run("was_table", "table", "SELECT 'x' AS b, 3 AS c");
    expect(result.tasks.map((t) => [t.status, t.error])).toEqual([["succeeded", undefined]]);
    expect(await kind("was_table")).toEqual([{ t: "BASE TABLE" }]);
    expect((await admin().query(`SELECT b, c FROM ${db}.was_table`)).rows).toEqual([{ b: "x", c: 3 }]);
    expect(await leftovers()).toEqual([]);
  });

  it("a query that fails leaves the view as it was, and nothing behind", async () => {
    expect((await run("kept_view", "view", "SELECT 1 AS n")).ok).toBe(true);
    const result = await run(
      "kept_view",
      "table",
      "SELECT q.* FROM (SELECT 1 AS n) AS q WHERE (SELECT 1 UNION ALL SELECT 2) = 1",
    );
    expect(result.tasks.map((t) => t.status)).toEqual(["failed"]);
    expect(await kind("kept_view")).toEqual([{ t: "VIEW" }]);
    expect(await leftovers()).toEqual([]);
  });
});
