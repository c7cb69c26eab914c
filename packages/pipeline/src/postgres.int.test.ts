import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { errorOf, runPipelineFolder, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_pipe");
const connect = (name = "pg") => openLocalServer("postgres", name);

function pipelineFolder(files: Record<string, string>): string {
  return writeTree(scratchDir("bruin-pg-"), {
    "pipeline.yml": "name: pg\ndefault_connections:\n  postgres: pg\n",
    ...files,
  });
}

const table = (query: string, extra = "") =>
  sqlAsset(`name: ${schema}.numbers\ntype: pg.sql\nmaterialization: {type: table}${extra}`, query);

describe("pipeline on PostgreSQL", () => {
  it("creates the schema, a table, a view, and runs checks with Postgres SQL", async () => {
    const checks =
      "\ncolumns:\n  - name: code\n    checks: [{name: pattern, value: '^[a-z]-\\d+$'}, {name: unique}]\n  - name: n\n    checks: [{name: accepted_values, value: [1, 2]}]";
    const root = pipelineFolder({
      "assets/numbers.sql": table("SELECT n, 'x-' || n AS code FROM generate_series(1, 3) AS g(n);", checks),
      "assets/top.sql": sqlAsset(
        `name: ${schema}.top\ntype: pg.sql\ndepends: [${schema}.numbers]\nmaterialization: {type: view}`,
        `SELECT max(n) AS n FROM ${schema}.numbers`,
      ),
    });
    const result = await runPipelineFolder(root, () => connect());
    expect(statuses(result)).toEqual({
      [`${schema}.numbers`]: "succeeded",
      [`${schema}.numbers:code:pattern`]: "succeeded",
      [`${schema}.numbers:code:unique`]: "succeeded",
      [`${schema}.numbers:n:accepted_values`]: "failed",
      [`${schema}.top`]: "upstream_failed",
    });
    expect(errorOf(result, `${schema}.numbers:n:accepted_values`)).toBe(
      `check 'accepted_values' on column 'n' of '${schema}.numbers' failed: 1 row`,
    );
    expect((await admin().query(`SELECT count(*) AS n FROM ${schema}.numbers`)).rows).toEqual([{ n: 3 }]);
  });

  it("builds a view once its upstream's checks pass", async () => {
    const root = pipelineFolder({
      "assets/numbers.sql": table(
        "SELECT n FROM generate_series(1, 2) AS g(n)",
        "\ncolumns:\n  - name: n\n    checks: [{name: positive}]",
      ),
      "assets/top.sql": sqlAsset(
        `name: ${schema}.top\ntype: pg.sql\ndepends: [${schema}.numbers]\nmaterialization: {type: view}`,
        `SELECT max(n) AS n FROM ${schema}.numbers`,
      ),
    });
    const result = await runPipelineFolder(root, () => connect());
    expect(result.ok).toBe(true);
    expect((await admin().query(`SELECT n FROM ${schema}.top`)).rows).toEqual([{ n: 2 }]);
    await admin().exec(`DROP VIEW ${schema}.top`);
  });

  it("keeps the previous table and rows when the new query fails while running, leaving no temp table", async () => {
    const root = pipelineFolder({ "assets/numbers.sql": table("SELECT n FROM generate_series(1, 3) AS g(n)") });
    expect((await runPipelineFolder(root, () => connect())).ok).toBe(true);

    writeTree(root, { "assets/numbers.sql": table("SELECT 10 / (n - 2) AS n FROM generate_series(1, 3) AS g(n)") });
    const failed = await runPipelineFolder(root, () => connect());
    expect(statuses(failed)).toEqual({ [`${schema}.numbers`]: "failed" });
    expect(errorOf(failed, `${schema}.numbers`)).toMatch(/division by zero/);
    expect((await admin().query(`SELECT n FROM ${schema}.numbers ORDER BY n`)).rows).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
    const leftovers = await admin().query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name LIKE '__bruin%'`,
    );
    expect(leftovers.rows).toEqual([]);
  });

  it("refuses to drop a table other views depend on, leaving it intact", async () => {
    await admin().exec(`CREATE OR REPLACE VIEW ${schema}.dependent AS SELECT n FROM ${schema}.numbers`);
    try {
      const root = pipelineFolder({ "assets/numbers.sql": table("SELECT 99 AS n") });
      const result = await runPipelineFolder(root, () => connect());
      expect(errorOf(result, `${schema}.numbers`)).toMatch(/depend/);
      expect((await admin().query(`SELECT count(*) AS n FROM ${schema}.numbers`)).rows).toEqual([{ n: 3 }]);
    } finally {
      await admin().exec(`DROP VIEW IF EXISTS ${schema}.dependent`);
    }
  });
});
