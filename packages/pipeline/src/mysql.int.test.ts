import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { errorOf, runPipelineFolder, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: database, admin } = scratchNamespace("mysql", "bruin_pipe");
const connect = (name = "my") => openLocalServer("mysql", name);

function pipelineFolder(files: Record<string, string>): string {
  return writeTree(scratchDir("bruin-my-"), {
    "pipeline.yml": "name: my\ndefault_connections:\n  mysql: my\n",
    ...files,
  });
}

const numbers = (query: string, extra = "") =>
  sqlAsset(`name: ${database}.numbers\ntype: my.sql\nmaterialization: {type: table}${extra}`, query);
const VALUES = "SELECT 1 AS n, 'a-1' AS code UNION ALL SELECT 2, 'b-2' UNION ALL SELECT 3, 'c-3';";

async function tablesLike(pattern: string): Promise<unknown[]> {
  const { rows } = await admin().query(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${database}' AND table_name LIKE '${pattern}'`,
  );
  return rows;
}

describe("pipeline on MySQL/MariaDB", () => {
  it("creates the database, a table, a view, and runs checks with MySQL SQL", async () => {
    const checks = [
      "",
      "columns:",
      "  - name: n",
      "    checks: [{name: not_null}, {name: unique}, {name: positive}, {name: max, value: 3}]",
      "  - name: code",
      "    checks: [{name: pattern, value: '^[a-z]-\\d$'}, {name: accepted_values, value: [a-1, b-2]}]",
    ].join("\n");
    const root = pipelineFolder({
      "assets/numbers.sql": numbers(VALUES, checks),
      "assets/total.sql": sqlAsset(
        `name: ${database}.total\ntype: my.sql\ndepends: [${database}.numbers]\nmaterialization: {type: view}`,
        `SELECT sum(n) AS total FROM ${database}.numbers`,
      ),
    });
    const result = await runPipelineFolder(root, () => connect());
    expect(statuses(result)).toEqual({
      [`${database}.numbers`]: "succeeded",
      [`${database}.numbers:n:not_null`]: "succeeded",
      [`${database}.numbers:n:unique`]: "succeeded",
      [`${database}.numbers:n:positive`]: "succeeded",
      [`${database}.numbers:n:max`]: "succeeded",
      [`${database}.numbers:code:pattern`]: "succeeded",
      [`${database}.numbers:code:accepted_values`]: "failed",
      [`${database}.total`]: "upstream_failed",
    });
    expect(errorOf(result, `${database}.numbers:code:accepted_values`)).toBe(
      `check 'accepted_values' on column 'code' of '${database}.numbers' failed: 1 row`,
    );
  });

  it("builds a view once its upstream's checks pass, and replaces the table under it", async () => {
    const root = pipelineFolder({
      "assets/numbers.sql": numbers(
        VALUES,
        "\ncolumns:\n  - name: code\n    checks: [{name: pattern, value: '^[a-z]-\\d$'}]",
      ),
      "assets/total.sql": sqlAsset(
        `name: ${database}.total\ntype: my.sql\ndepends: [${database}.numbers]\nmaterialization: {type: view}`,
        `SELECT sum(n) AS total FROM ${database}.numbers`,
      ),
    });
    expect((await runPipelineFolder(root, () => connect())).ok).toBe(true);
    expect((await runPipelineFolder(root, () => connect())).ok).toBe(true);
    const { rows } = await admin().query(`SELECT total FROM \`${database}\`.total`);
    expect(Number(rows[0]!.total)).toBe(6);
    expect(await tablesLike("\\_\\_bruin%")).toEqual([]);
  });

  it("keeps the previous table and rows when the new query fails, leaving no temp table", async () => {
    const root = pipelineFolder({ "assets/numbers.sql": numbers(VALUES) });
    expect((await runPipelineFolder(root, () => connect())).ok).toBe(true);

    writeTree(root, {
      "assets/numbers.sql": numbers("SELECT n, (SELECT 1 UNION ALL SELECT 2) AS boom FROM (SELECT 1 AS n) t"),
    });
    const failed = await runPipelineFolder(root, () => connect());
    expect(statuses(failed)).toEqual({ [`${database}.numbers`]: "failed" });
    expect(errorOf(failed, `${database}.numbers`)).toMatch(/more than 1 row/);
    const { rows } = await admin().query(`SELECT n FROM \`${database}\`.numbers ORDER BY n`);
    expect(rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await tablesLike("\\_\\_bruin%")).toEqual([]);
  });
});
