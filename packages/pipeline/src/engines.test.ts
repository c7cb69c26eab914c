import { dialectFor } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { columnCheckQuery } from "./checks.js";
import { materializeAsset } from "./materialize.js";
import type { Asset } from "./model.js";
import { makeAsset } from "./test-support/assets.js";
import { fakeAdapter, stableNames } from "./test-support/fake-adapter.js";

const table = (name: string, type: string, platform: string, strategy = "create+replace"): Asset =>
  makeAsset(name, { type, platform, materialization: { type: "table", strategy } });
const view = (name: string, type: string, platform: string): Asset =>
  makeAsset(name, { type, platform, materialization: { type: "view" } });

describe("materialization SQL on Snowflake, BigQuery, Databricks and SQL Server", () => {
  it("Snowflake: CREATE OR REPLACE, plain names left unquoted so they fold to upper case like the user's own", async () => {
    const { adapter, log } = fakeAdapter("snowflake");
    await materializeAsset(adapter, table("mart.revenue", "sf.sql", "snowflake"), "SELECT 1 AS x;");
    await materializeAsset(adapter, view("mart.my-view", "sf.sql", "snowflake"), "SELECT 1 AS x");
    expect(log).toEqual([
      "exec: CREATE SCHEMA IF NOT EXISTS mart",
      "exec: CREATE OR REPLACE TABLE mart.revenue AS\nSELECT 1 AS x",
      "exec: CREATE SCHEMA IF NOT EXISTS mart",
      'exec: CREATE OR REPLACE VIEW mart."my-view" AS\nSELECT 1 AS x',
    ]);
  });

  it("BigQuery: backquoted parts, CREATE OR REPLACE TABLE", async () => {
    const { adapter, log } = fakeAdapter("google_cloud_platform");
    await materializeAsset(adapter, table("proj.mart.revenue", "bq.sql", "google_cloud_platform"), "SELECT 1 AS x");
    await materializeAsset(adapter, view("mart.v", "bq.sql", "google_cloud_platform"), "SELECT 1 AS x");
    expect(log).toEqual([
      "exec: CREATE SCHEMA IF NOT EXISTS `proj`.`mart`",
      "exec: CREATE OR REPLACE TABLE `proj`.`mart`.`revenue` AS\nSELECT 1 AS x",
      "exec: CREATE SCHEMA IF NOT EXISTS `mart`",
      "exec: CREATE OR REPLACE VIEW `mart`.`v` AS\nSELECT 1 AS x",
    ]);
  });

  it("Databricks: backquoted parts, CREATE OR REPLACE TABLE ... AS", async () => {
    const { adapter, log } = fakeAdapter("databricks");
    await materializeAsset(adapter, table("main.mart.revenue", "databricks.sql", "databricks"), "SELECT 1 AS x");
    expect(log).toEqual([
      "exec: CREATE SCHEMA IF NOT EXISTS `main`.`mart`",
      "exec: CREATE OR REPLACE TABLE `main`.`mart`.`revenue` AS\nSELECT 1 AS x",
    ]);
  });

  it("SQL Server: SELECT INTO a scratch table, then drop and sp_rename in one transaction; views with CREATE OR ALTER", async () => {
    const { adapter, log } = fakeAdapter("mssql");
    await materializeAsset(adapter, table("mart.revenue", "ms.sql", "mssql"), "SELECT 1 AS x;");
    await materializeAsset(adapter, view("mart.v", "ms.sql", "mssql"), "SELECT 1 AS x");
    expect(stableNames(log)).toEqual([
      "exec: IF SCHEMA_ID('mart') IS NULL EXEC('CREATE SCHEMA [mart]')",
      "exec: SELECT * INTO [mart].[__bruin_tmp_X] FROM (\nSELECT 1 AS x\n) AS __bruin_source",
      "BEGIN",
      "DROP TABLE IF EXISTS [mart].[revenue]",
      "EXEC sp_rename '[mart].[__bruin_tmp_X]', 'revenue'",
      "COMMIT",
      "exec: IF SCHEMA_ID('mart') IS NULL EXEC('CREATE SCHEMA [mart]')",
      "exec: CREATE OR ALTER VIEW [mart].[v] AS\nSELECT 1 AS x",
    ]);
  });

  it("SQL Server: a failing swap rolls back and the scratch table is dropped", async () => {
    const { adapter, log } = fakeAdapter("mssql", { failOn: "sp_rename" });
    await expect(materializeAsset(adapter, table("revenue", "ms.sql", "mssql"), "SELECT 1 AS x")).rejects.toThrow(
      "failed: sp_rename",
    );
    expect(stableNames(log).slice(-2)).toEqual(["ROLLBACK", "exec: DROP TABLE IF EXISTS [__bruin_tmp_X]"]);
  });

  it("refuses incremental strategies on engines they are not implemented for, before touching anything", async () => {
    for (const [type, assetType, platform] of [
      ["snowflake", "sf.sql", "snowflake"],
      ["google_cloud_platform", "bq.sql", "google_cloud_platform"],
      ["mssql", "ms.sql", "mssql"],
    ] as const) {
      const { adapter, log } = fakeAdapter(type, { tableExists: true });
      await expect(materializeAsset(adapter, table("t", assetType, platform, "merge"), "SELECT 1")).rejects.toThrow(
        `materialization strategy 'merge' is not supported on ${adapter.dialect.name} yet`,
      );
      expect(log).toEqual([]);
      // A full refresh is a plain rebuild, which every engine can do.
      await materializeAsset(adapter, table("t", assetType, platform, "merge"), "SELECT 1", { fullRefresh: true });
      expect(log.some((l) => l.includes("__bruin_tmp_") || l.includes("CREATE OR REPLACE TABLE"))).toBe(true);
    }
  });

  it("runs an asset without materialization statement by statement where the driver takes one at a time", async () => {
    const script = "CREATE TABLE a (s STRING); -- a comment; with a semicolon\nINSERT INTO a VALUES ('x;y');\n";
    const { adapter, log } = fakeAdapter("databricks");
    await materializeAsset(adapter, makeAsset("s", { type: "databricks.sql", platform: "databricks" }), script);
    expect(log).toEqual([
      "exec: CREATE TABLE a (s STRING)",
      "exec: -- a comment; with a semicolon\nINSERT INTO a VALUES ('x;y')",
    ]);
  });
});

describe("check SQL per engine", () => {
  const pattern = (type: Parameters<typeof dialectFor>[0]) =>
    columnCheckQuery(dialectFor(type), "mart.t", "code", "pattern", "^a-\\d$");

  it("uses each engine's regular expression function", () => {
    // Snowflake's REGEXP_LIKE matches the whole value; its string literals take backslash escapes.
    expect(pattern("snowflake")).toBe(
      "SELECT COUNT(*) AS violations FROM mart.t WHERE NOT REGEXP_LIKE(CAST(code AS VARCHAR), '^a-\\\\d$')",
    );
    expect(pattern("google_cloud_platform")).toBe(
      "SELECT COUNT(*) AS violations FROM `mart`.`t` WHERE NOT REGEXP_CONTAINS(CAST(`code` AS STRING), '^a-\\\\d$')",
    );
    expect(pattern("databricks")).toBe(
      "SELECT COUNT(*) AS violations FROM `mart`.`t` WHERE NOT (CAST(`code` AS STRING) RLIKE '^a-\\\\d$')",
    );
  });

  it("explains that SQL Server has no pattern check", () => {
    expect(() => pattern("mssql")).toThrow(
      "the 'pattern' check is not supported on SQL Server (mssql), which has no regular expressions",
    );
  });

  it("quotes tables and columns per engine for the other checks", () => {
    expect(columnCheckQuery(dialectFor("mssql"), "mart.t", "id", "not_null")).toBe(
      "SELECT COUNT(*) AS violations FROM [mart].[t] WHERE [id] IS NULL",
    );
    expect(columnCheckQuery(dialectFor("snowflake"), "mart.t", "Order Id", "unique")).toBe(
      'SELECT COUNT("Order Id") - COUNT(DISTINCT "Order Id") AS violations FROM mart.t',
    );
    expect(columnCheckQuery(dialectFor("mssql"), "t", "c", "accepted_values", ["a", "b"])).toBe(
      "SELECT COUNT(*) AS violations FROM [t] WHERE CAST([c] AS NVARCHAR(MAX)) NOT IN ('a', 'b')",
    );
  });
});
