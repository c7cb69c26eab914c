import { DIALECTS } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { columnCheckQuery } from "./checks.js";
import { scalarNumber, splitName, sqlString, stripTrailingSemicolons } from "./sql.js";

describe("SQL helpers", () => {
  it("strips trailing semicolons and whitespace only", () => {
    expect(stripTrailingSemicolons("SELECT ';' AS x ;\n ;  \n")).toBe("SELECT ';' AS x");
    expect(stripTrailingSemicolons("SELECT 1")).toBe("SELECT 1");
  });

  it("splits qualified names into parent and table", () => {
    expect(splitName("mart.revenue")).toEqual({ parent: "mart", table: "revenue" });
    expect(splitName("db.schema.t")).toEqual({ parent: "db.schema", table: "t" });
    expect(splitName("t")).toEqual({ table: "t" });
  });

  it("escapes string literals per dialect (MySQL also escapes backslashes)", () => {
    expect(sqlString("it's \\d", DIALECTS.postgres)).toBe("'it''s \\d'");
    expect(sqlString("it's \\d", DIALECTS.mysql)).toBe("'it''s \\\\d'");
  });

  it("reads counts from numbers, bigint strings and booleans", () => {
    expect(scalarNumber([{ n: "12" }], ["n"])).toBe(12);
    expect(scalarNumber([{ n: true }], ["n"])).toBe(1);
    expect(scalarNumber([{ n: null }], ["n"])).toBeNull();
    expect(scalarNumber([], ["n"])).toBeUndefined();
  });
});

describe("columnCheckQuery", () => {
  it("uses each engine's regular expression operator and quoting", () => {
    expect(columnCheckQuery(DIALECTS.duckdb, "mart.t", "code", "pattern", "^a$")).toBe(
      `SELECT COUNT(*) AS violations FROM "mart"."t" WHERE NOT regexp_full_match(CAST("code" AS VARCHAR), '^a$')`,
    );
    expect(columnCheckQuery(DIALECTS.postgres, "mart.t", "code", "pattern", "^a$")).toBe(
      `SELECT COUNT(*) AS violations FROM "mart"."t" WHERE CAST("code" AS TEXT) !~ '^a$'`,
    );
    expect(columnCheckQuery(DIALECTS.mysql, "mart.t", "code", "pattern", "^\\d$")).toBe(
      "SELECT COUNT(*) AS violations FROM `mart`.`t` WHERE CAST(`code` AS CHAR) NOT REGEXP '^\\\\d$'",
    );
  });

  it("compares numeric accepted values as numbers and anything else as text", () => {
    expect(columnCheckQuery(DIALECTS.postgres, "t", "n", "accepted_values", [1, 2])).toBe(
      `SELECT COUNT(*) AS violations FROM "t" WHERE "n" NOT IN (1, 2)`,
    );
    expect(columnCheckQuery(DIALECTS.postgres, "t", "c", "accepted_values", ["a", 1])).toBe(
      `SELECT COUNT(*) AS violations FROM "t" WHERE CAST("c" AS TEXT) NOT IN ('a', '1')`,
    );
  });

  it("counts duplicate rows for unique, ignoring NULLs", () => {
    expect(columnCheckQuery(DIALECTS.duckdb, "t", "id", "unique")).toBe(
      `SELECT COUNT("id") - COUNT(DISTINCT "id") AS violations FROM "t"`,
    );
  });
});
