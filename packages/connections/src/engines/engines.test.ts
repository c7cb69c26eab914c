import { describe, expect, it } from "vitest";
import { DIALECTS, dialectFor } from "../dialects.js";
import { holdsPlainValue, locksDatabaseFile } from "../open.js";
import { CONNECTION_TYPES } from "../types.js";
import { canonicalType } from "../validate.js";
import { CONNECTION_ENGINES, connectionEngine } from "./index.js";

describe("the connection engine registry", () => {
  it("has exactly one engine module per connection type", () => {
    expect(CONNECTION_ENGINES.map((e) => e.type).sort()).toEqual([...CONNECTION_TYPES].sort());
  });

  it("gives every SQL engine a dialect of its own, found by dialectFor and DIALECTS", () => {
    for (const engine of CONNECTION_ENGINES.filter((e) => e.sql)) {
      expect(dialectFor(engine.type)).toBe(engine.dialect);
      expect(DIALECTS[engine.dialect!.name]).toBe(engine.dialect);
    }
  });

  it("takes aliases from the engine modules", () => {
    expect(canonicalType("mongo")).toBe("mongodb");
    expect(connectionEngine("mongo")).toBeUndefined();
  });

  it("says which type holds a plain value rather than a database's details", () => {
    expect(CONNECTION_TYPES.filter((t) => holdsPlainValue(t))).toEqual(["generic"]);
  });

  it("says which engine holds its database file", () => {
    expect(CONNECTION_TYPES.filter((t) => locksDatabaseFile(t))).toEqual(["duckdb"]);
    expect(locksDatabaseFile("nope")).toBe(false);
  });
});

describe("limitRows", () => {
  it("wraps with LIMIT by default and with TOP on SQL Server", () => {
    expect(dialectFor("postgres").limitRows("SELECT 1", 5)).toBe("SELECT * FROM (SELECT 1) AS bruin_query LIMIT 5");
    expect(dialectFor("mysql").limitRows("SELECT 1", 5)).toBe("SELECT * FROM (SELECT 1) AS bruin_query LIMIT 5");
    expect(dialectFor("mssql").limitRows("SELECT 1", 5)).toBe("SELECT TOP 5 * FROM (SELECT 1) AS bruin_query");
  });

  it("leaves a MongoDB command document as it is", () => {
    expect(DIALECTS.mongodb.limitRows('{"find": "c"}', 5)).toBe('{"find": "c"}');
  });
});
