import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { columnCheckQuery, runColumnCheck } from "./checks.js";
import type { ColumnCheckTask } from "./model.js";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

/** What a check does with a result that is not a plain count: no row, NULL, text, a boolean. */
describe("custom check results on DuckDB", () => {
  const base = "name: base\ntype: duckdb.sql\nmaterialization: {type: table}";

  async function runCheck(query: string, value?: number) {
    const check = [
      "custom_checks:",
      "  - name: probe",
      `    query: "${query}"`,
      ...(value === undefined ? [] : [`    value: ${value}`]),
    ].join("\n");
    const p = new DuckDBPipeline().write({ "assets/base.sql": sqlAsset(`${base}\n${check}`, "SELECT 1 AS n") });
    const result = await p.run();
    return { status: statuses(result)["base:custom-check:probe"], error: errorOf(result, "base:custom-check:probe") };
  }

  it("no row fails, saying so", async () => {
    expect(await runCheck("SELECT 1 WHERE false", 1)).toEqual({
      status: "failed",
      error: "custom check 'probe' of 'base' failed: the query returned no rows, expected 1",
    });
  });

  it("NULL fails, saying so, even when 0 is expected", async () => {
    expect(await runCheck("SELECT NULL")).toEqual({
      status: "failed",
      error: "custom check 'probe' of 'base' failed: the query returned NULL, expected 0",
    });
  });

  it("a value that is not a number fails, saying so", async () => {
    expect(await runCheck("SELECT 'many'", 0)).toEqual({
      status: "failed",
      error: "custom check 'probe' of 'base' failed: the query returned a value that is not a number, expected 0",
    });
  });

  it("numbers as text, booleans and big integers compare by value", async () => {
    expect((await runCheck("SELECT '3'", 3)).status).toBe("succeeded");
    expect((await runCheck("SELECT true", 1)).status).toBe("succeeded");
    expect((await runCheck("SELECT false")).status).toBe("succeeded");
    expect((await runCheck("SELECT 5::HUGEINT", 5)).status).toBe("succeeded");
    expect(await runCheck("SELECT 2", 1)).toEqual({
      status: "failed",
      error: "custom check 'probe' of 'base' failed: returned 2, expected 1",
    });
  });
});

describe("column check queries and results", () => {
  it("refuses an unknown check name", () => {
    expect(() => columnCheckQuery(DIALECTS.duckdb, "t", "c", "sometimes_null")).toThrow(
      "unknown column check 'sometimes_null'",
    );
  });

  it("refuses a check the engine does not support, naming it and the engine", () => {
    expect(() => columnCheckQuery(DIALECTS.mssql, "t", "c", "pattern", "^a")).toThrow(
      "the 'pattern' check is not supported on SQL Server (mssql)",
    );
  });

  it("accepted_values of mixed numbers and text compares as text", () => {
    expect(columnCheckQuery(DIALECTS.duckdb, "t", "c", "accepted_values", [1, "b"])).toBe(
      "SELECT COUNT(*) AS violations FROM \"t\" WHERE CAST(\"c\" AS VARCHAR) NOT IN ('1', 'b')",
    );
  });

  const task = {
    asset: { name: "items" },
    column: { name: "qty" },
    check: { name: "not_null" },
  } as unknown as ColumnCheckTask;
  const answering = (rows: Record<string, unknown>[]) =>
    ({
      dialect: DIALECTS.duckdb,
      query: async () => ({ columns: ["violations"], rows }),
    }) as unknown as ConnectionAdapter;

  it("a count query that returns no row, NULL or text is an error, not a pass", async () => {
    for (const rows of [[], [{ violations: null }], [{ violations: "n/a" }]]) {
      await expect(runColumnCheck(answering(rows), task)).rejects.toThrow(
        "check 'not_null' on column 'qty' of 'items' returned no count",
      );
    }
  });

  it("a count of 0 passes; 1 and more fail with the count", async () => {
    await expect(runColumnCheck(answering([{ violations: 0 }]), task)).resolves.toBeUndefined();
    await expect(runColumnCheck(answering([{ violations: 1 }]), task)).rejects.toThrow(
      "check 'not_null' on column 'qty' of 'items' failed: 1 row",
    );
    await expect(runColumnCheck(answering([{ violations: 2n }]), task)).rejects.toThrow("failed: 2 rows");
  });
});
