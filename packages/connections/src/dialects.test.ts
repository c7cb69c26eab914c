import { describe, expect, it } from "vitest";
import { dialectFor } from "./dialects.js";

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
