import { describe, expect, it } from "vitest";
import { DIALECTS, dialectFor } from "./dialects.js";

describe("dialectFor", () => {
  it("quotes with double quotes on duckdb, postgres and redshift", () => {
    for (const type of ["duckdb", "postgres", "redshift"] as const) {
      const dialect = dialectFor(type);
      expect(dialect.name).toBe(type);
      expect(dialect.quoteIdentifier('we"ird')).toBe('"we""ird"');
      expect(dialect.quoteName("mart.revenue")).toBe('"mart"."revenue"');
      expect(dialect.transactionalDdl).toBe(true);
      expect(dialect.supportsSchemas).toBe(true);
    }
  });

  it("quotes with backticks on mysql, where DDL is not transactional and schemas are databases", () => {
    const mysql = dialectFor("mysql");
    expect(mysql.quoteName("a.b")).toBe("`a`.`b`");
    expect(mysql.quoteIdentifier("we`ird")).toBe("`we``ird`");
    expect(mysql.transactionalDdl).toBe(false);
    expect(mysql.supportsSchemas).toBe(false);
  });

  it("maps the other SQL types and refuses the ones without SQL", () => {
    expect(dialectFor("google_cloud_platform").name).toBe("bigquery");
    expect(dialectFor("mssql").quoteIdentifier("a]b")).toBe("[a]]b]");
    expect(() => dialectFor("generic")).toThrow("connection type 'generic' has no SQL dialect");
  });
});

describe("dialects of the warehouses", () => {
  it("quotes Snowflake names with double quotes; its DDL commits on its own", () => {
    const snowflake = dialectFor("snowflake");
    expect(snowflake.quoteName('mart.we"ird')).toBe('"mart"."we""ird"');
    expect(snowflake.transactionalDdl).toBe(false);
    expect(snowflake.supportsSchemas).toBe(true);
  });

  it("quotes BigQuery and Databricks names part by part with backticks; neither has transactional DDL", () => {
    for (const type of ["google_cloud_platform", "databricks"] as const) {
      const dialect = dialectFor(type);
      expect(dialect.quoteName("project.dataset.tab`le")).toBe("`project`.`dataset`.`tab``le`");
      expect(dialect.transactionalDdl).toBe(false);
      expect(dialect.supportsSchemas).toBe(true);
    }
  });

  it("quotes SQL Server names with brackets, doubling a closing bracket; DDL is transactional", () => {
    const mssql = dialectFor("mssql");
    expect(mssql.quoteName("dbo.my]table")).toBe("[dbo].[my]]table]");
    expect(mssql.transactionalDdl).toBe(true);
    expect(mssql.supportsSchemas).toBe(true);
  });

  it("has no SQL dialect for mongodb, whose adapter quotes names as JSON strings", () => {
    expect(() => dialectFor("mongodb")).toThrow("connection type 'mongodb' has no SQL dialect");
    expect(DIALECTS.mongodb.quoteIdentifier('a"b')).toBe('"a\\"b"');
  });
});
