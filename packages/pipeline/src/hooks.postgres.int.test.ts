import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { errorOf, runPipelineFolder, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_hooks");

describe("hooks on PostgreSQL", () => {
  it("write to a log table before and after the asset's query, on its connection", async () => {
    const root = writeTree(scratchDir("bruin-pg-hooks-"), {
      "pipeline.yml": [
        "name: pg",
        "default_connections:",
        "  postgres: pg",
        "default:",
        "  hooks:",
        "    post:",
        `      - query: "INSERT INTO ${schema}.hook_log SELECT 'post', '{{ this }}', count(*) FROM {{ this }}"`,
        "",
      ].join("\n"),
      "assets/numbers.sql": sqlAsset(
        [
          `name: ${schema}.numbers`,
          "type: pg.sql",
          "materialization: {type: table}",
          "hooks:",
          "  pre:",
          `    - query: CREATE SCHEMA IF NOT EXISTS ${schema}`,
          `    - query: CREATE TABLE IF NOT EXISTS ${schema}.hook_log (step text, asset text, n bigint);`,
          `    - query: "INSERT INTO ${schema}.hook_log VALUES ('pre', '{{ this }}', NULL)"`,
        ].join("\n"),
        "SELECT n FROM generate_series(1, 3) AS g(n)",
      ),
      "assets/broken.sql": sqlAsset(
        [`name: ${schema}.broken`, "type: pg.sql", "hooks:", "  pre: [{query: SELECT 1 / 0}]"].join("\n"),
        "SELECT 1",
      ),
    });
    const result = await runPipelineFolder(root, () => openLocalServer("postgres", "pg"));
    expect(statuses(result)).toEqual({ [`${schema}.numbers`]: "succeeded", [`${schema}.broken`]: "failed" });
    expect(errorOf(result, `${schema}.broken`)).toMatch(/^asset .*\.broken.: pre hook 1 failed: .*division by zero/);
    const log = await admin().query(`SELECT step, asset, n FROM ${schema}.hook_log ORDER BY step DESC`);
    expect(log.rows.map((r) => [r.step, r.asset, r.n === null ? null : Number(r.n)])).toEqual([
      ["pre", `${schema}.numbers`, null],
      ["post", `${schema}.numbers`, 3],
    ]);
  });
});
