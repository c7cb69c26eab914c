import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { runPipelineFolder, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: database, admin } = scratchNamespace("mysql", "bruin_hooks");

describe("hooks on MySQL/MariaDB", () => {
  it("write to a log table before and after the asset's query", async () => {
    const root = writeTree(scratchDir("bruin-my-hooks-"), {
      "pipeline.yml": "name: my\ndefault_connections:\n  mysql: my\n",
      "assets/numbers.sql": sqlAsset(
        [
          `name: ${database}.numbers`,
          "type: my.sql",
          "materialization: {type: table}",
          "hooks:",
          "  pre:",
          `    - query: CREATE DATABASE IF NOT EXISTS ${database}`,
          `    - query: CREATE TABLE IF NOT EXISTS ${database}.hook_log (step varchar(10), asset varchar(100), n bigint)`,
          `    - query: "INSERT INTO ${database}.hook_log VALUES ('pre', '{{ this }}', NULL);"`,
          "  post:",
          `    - query: "INSERT INTO ${database}.hook_log SELECT 'post', '{{ this }}', count(*) FROM {{ this }}"`,
        ].join("\n"),
        "SELECT 1 AS n UNION ALL SELECT 2",
      ),
    });
    const result = await runPipelineFolder(root, () => openLocalServer("mysql", "my"));
    expect(statuses(result)).toEqual({ [`${database}.numbers`]: "succeeded" });
    const log = await admin().query(`SELECT step, asset, n FROM ${database}.hook_log ORDER BY step DESC`);
    expect(log.rows.map((r) => [r.step, r.asset, r.n === null ? null : Number(r.n)])).toEqual([
      ["pre", `${database}.numbers`, null],
      ["post", `${database}.numbers`, 2],
    ]);
  });
});
