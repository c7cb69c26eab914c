import { describe, expect, it } from "vitest";
import { splitStatements } from "./split-statements.js";

describe("splitStatements", () => {
  it("splits on semicolons and drops empty statements", () => {
    expect(splitStatements("SELECT 1; ;\n SELECT 2;;")).toEqual(["SELECT 1", "SELECT 2"]);
    expect(splitStatements("  ")).toEqual([]);
  });

  it("keeps semicolons inside quoted strings and identifiers", () => {
    expect(splitStatements(`SELECT 'a;b', 'it''s;'; SELECT "x;y" FROM t; SELECT \`c;d\``)).toEqual([
      "SELECT 'a;b', 'it''s;'",
      'SELECT "x;y" FROM t',
      "SELECT `c;d`",
    ]);
  });

  it("keeps dollar-quoted bodies whole", () => {
    const fn = "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql";
    const tagged = "DO $body$ BEGIN PERFORM 1; $$ not the end; END $body$";
    expect(splitStatements(`${fn}; ${tagged}; SELECT $1`)).toEqual([fn, tagged, "SELECT $1"]);
  });

  it("ignores semicolons in comments and drops comment-only statements", () => {
    const script = "-- first; comment\nSELECT 1 /* a; b */; /* only; a comment */ ; -- trailing;";
    expect(splitStatements(script)).toEqual(["-- first; comment\nSELECT 1 /* a; b */"]);
  });

  it("treats backslashes as escapes only where the engine does", () => {
    // PostgreSQL: a backslash is an ordinary character in '...', an escape in E'...'.
    expect(splitStatements("SELECT 'C:\\'; SELECT E'it\\'s; ok'")).toEqual(["SELECT 'C:\\'", "SELECT E'it\\'s; ok'"]);
    // MySQL: a backslash escapes in both quote styles.
    expect(splitStatements(`SELECT 'it\\'s; ok', "a\\"; b"; SELECT 2`, { backslashEscapes: true })).toEqual([
      `SELECT 'it\\'s; ok', "a\\"; b"`,
      "SELECT 2",
    ]);
  });

  it("does not take $ inside identifiers for a dollar quote", () => {
    expect(splitStatements("SELECT a$b$ FROM t; SELECT 2")).toEqual(["SELECT a$b$ FROM t", "SELECT 2"]);
  });

  it("keeps an unterminated string to the end", () => {
    expect(splitStatements("SELECT 1; SELECT 'oops; never closed")).toEqual(["SELECT 1", "SELECT 'oops; never closed"]);
  });
});
