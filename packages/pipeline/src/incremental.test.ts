import { DIALECTS } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { incrementalPlan, type IncrementalInput } from "./incremental.js";
import type { Column } from "./model.js";
import { makeAsset } from "./test-support/assets.js";

const col = (name: string, extra: Partial<Column> = {}): Column => ({
  name,
  primaryKey: false,
  updateOnMerge: false,
  checks: [],
  ...extra,
});
const mergeAsset = makeAsset("mart.t", {
  materialization: { type: "table", strategy: "merge" },
  columns: [
    col("id", { primaryKey: true }),
    col("name", { updateOnMerge: true }),
    col("total", { mergeSql: "target.total + source.total" }),
    col("note"),
  ],
});
const input = (strategy: IncrementalInput["strategy"], extra: Partial<IncrementalInput> = {}): IncrementalInput => ({
  strategy,
  table: "mart.t",
  query: "SELECT 1",
  columns: ["id", "name", "total", "note"],
  asset: mergeAsset,
  scratch: "mart.__bruin_tmp_1",
  ...extra,
});

describe("incrementalPlan", () => {
  it("merges with MERGE on PostgreSQL: update_on_merge and merge_sql columns on matches, every column for new keys", () => {
    expect(incrementalPlan(DIALECTS.postgres, input("merge"))).toEqual({
      apply: [
        [
          'MERGE INTO "mart"."t" AS target',
          "USING (\nSELECT 1\n) AS source",
          'ON target."id" = source."id"',
          'WHEN MATCHED THEN UPDATE SET "name" = source."name", "total" = target.total + source.total',
          'WHEN NOT MATCHED THEN INSERT ("id", "name", "total", "note") VALUES (source."id", source."name", source."total", source."note")',
        ].join("\n"),
      ],
    });
  });

  it("merges on MySQL from a scratch table built first: UPDATE ... JOIN, then INSERT ... WHERE NOT EXISTS", () => {
    expect(incrementalPlan(DIALECTS.mysql, input("merge"))).toEqual({
      build: "CREATE TABLE `mart`.`__bruin_tmp_1` AS\nSELECT 1",
      apply: [
        "UPDATE `mart`.`t` AS target JOIN `mart`.`__bruin_tmp_1` AS source ON target.`id` = source.`id` SET target.`name` = source.`name`, target.`total` = target.total + source.total",
        "INSERT INTO `mart`.`t` (`id`, `name`, `total`, `note`) SELECT `id`, `name`, `total`, `note` FROM `mart`.`__bruin_tmp_1` AS source WHERE NOT EXISTS (SELECT 1 FROM `mart`.`t` AS target WHERE target.`id` = source.`id`)",
      ],
      cleanup: "DROP TABLE IF EXISTS `mart`.`__bruin_tmp_1`",
    });
  });

  it("merges on Redshift with UPDATE ... FROM a temp table, all in one transaction", () => {
    const plan = incrementalPlan(DIALECTS.redshift, input("merge"));
    expect(plan.build).toBeUndefined();
    expect(plan.apply[0]).toBe('CREATE TEMP TABLE "__bruin_tmp_1" AS\nSELECT 1');
    expect(plan.apply[1]).toBe(
      'UPDATE "mart"."t" AS target SET "name" = source."name", "total" = target.total + source.total FROM "__bruin_tmp_1" AS source WHERE target."id" = source."id"',
    );
    expect(plan.apply.at(-1)).toBe('DROP TABLE "__bruin_tmp_1"');
  });

  it("leaves out WHEN MATCHED when no column is updated on merge", () => {
    const asset = makeAsset("t", { columns: [col("id", { primaryKey: true }), col("v")] });
    const [merge] = incrementalPlan(DIALECTS.duckdb, input("merge", { asset, table: "t", columns: ["id", "v"] })).apply;
    expect(merge).not.toContain("WHEN MATCHED");
    expect(merge).toContain('WHEN NOT MATCHED THEN INSERT ("id", "v")');
  });

  it("deletes the keys of the new rows, then inserts them, inside one transaction on DuckDB", () => {
    const asset = makeAsset("t", {
      materialization: { type: "table", strategy: "delete+insert", incrementalKey: "DAY" },
    });
    expect(
      incrementalPlan(
        DIALECTS.duckdb,
        input("delete+insert", { asset, table: "t", columns: ["day", "n"], scratch: "__bruin_tmp_1" }),
      ).apply,
    ).toEqual([
      'CREATE TEMP TABLE "__bruin_tmp_1" AS\nSELECT 1',
      'DELETE FROM "t" WHERE "day" IN (SELECT "day" FROM "__bruin_tmp_1")',
      'INSERT INTO "t" ("day", "n") SELECT "day", "n" FROM "__bruin_tmp_1"',
      'DROP TABLE "__bruin_tmp_1"',
    ]);
  });

  it("names the asset when a key column is missing from the query", () => {
    expect(() => incrementalPlan(DIALECTS.duckdb, input("merge", { columns: ["name"] }))).toThrow(
      "asset 'mart.t': primary key column 'id' is not among the query's columns (name)",
    );
    const noKey = makeAsset("k", { materialization: { type: "table", strategy: "delete+insert" } });
    expect(() => incrementalPlan(DIALECTS.duckdb, input("delete+insert", { asset: noKey }))).toThrow(
      "asset 'k': materialization strategy 'delete+insert' requires 'incremental_key'",
    );
  });

  it("throws, naming the strategy and the engine, on an engine that runs no incremental strategy", () => {
    for (const [dialect, name] of [
      [DIALECTS.snowflake, "snowflake"],
      [DIALECTS.bigquery, "bigquery"],
      [DIALECTS.mssql, "mssql"],
      [DIALECTS.databricks, "databricks"],
    ] as const) {
      expect(() => incrementalPlan(dialect, input("merge"))).toThrow(
        new Error(`materialization strategy 'merge' is not supported on ${name} yet`),
      );
      expect(() => incrementalPlan(dialect, input("append"))).toThrow(
        new Error(`materialization strategy 'append' is not supported on ${name} yet`),
      );
    }
  });
});
