import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyQuickstart, runBruin } from "./test-support/run-cli.js";

async function builtQuickstart(): Promise<string> {
  const dir = copyQuickstart();
  expect((await runBruin(["run", dir])).code).toBe(0);
  return dir;
}

describe("bruin query on DuckDB", () => {
  const sql = "SELECT country, orders FROM mart.revenue_by_country ORDER BY country";

  it("prints a table, JSON or CSV", async () => {
    const dir = await builtQuickstart();
    const plain = await runBruin(["query", "-c", "duckdb-default", "-q", sql], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/\| country \| orders \|/);
    expect(plain.stdout).toMatch(/\| US\s+\| 3\s+\|/);
    expect(plain.stdout).toContain("4 rows");

    const json = await runBruin(["query", "--connection", "duckdb-default", "--query", sql, "-o", "json"], {
      cwd: dir,
    });
    expect(JSON.parse(json.stdout)).toEqual({
      columns: [
        { name: "country", type: "VARCHAR" },
        { name: "orders", type: "BIGINT" },
      ],
      rows: [
        ["DE", 1],
        ["FR", 1],
        ["NL", 1],
        ["US", 3],
      ],
      connectionName: "duckdb-default",
      query: sql,
    });

    const csv = await runBruin(["query", "-c", "duckdb-default", "-q", sql, "-o", "csv", "--limit", "2"], { cwd: dir });
    expect(csv.stdout).toBe("country,orders\nDE,1\nFR,1\n");
  });

  it("says when --limit cut rows off, and not when it did not", async () => {
    const dir = await builtQuickstart();
    const cut = await runBruin(["query", "-c", "duckdb-default", "-q", sql, "-l", "2"], { cwd: dir });
    expect(cut.code).toBe(0);
    expect(cut.stdout).toMatch(/^\| DE\s+\| 1\s+\|$/m);
    expect(cut.stdout).not.toMatch(/\| NL/);
    expect(cut.stdout).toContain("2 rows (cut off at --limit 2: the query returns more rows)");
    const whole = await runBruin(["query", "-c", "duckdb-default", "-q", sql, "-l", "4"], { cwd: dir });
    expect(whole.stdout).toMatch(/^4 rows$/m);
    expect(whole.stdout).not.toContain("cut off");
    const one = await runBruin(["query", "-c", "duckdb-default", "-q", `${sql} LIMIT 1`], { cwd: dir });
    expect(one.stdout).toMatch(/^1 row$/m);

    const json = await runBruin(["query", "-c", "duckdb-default", "-q", sql, "-l", "3", "-o", "json"], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      columns: [
        { name: "country", type: "VARCHAR" },
        { name: "orders", type: "BIGINT" },
      ],
      rows: [
        ["DE", 1],
        ["FR", 1],
        ["NL", 1],
      ],
      truncated: true,
    });
    const csv = await runBruin(["query", "-c", "duckdb-default", "-q", sql, "-l", "1", "-o", "csv"], { cwd: dir });
    expect(csv.stdout).toBe("country,orders\nDE,1\n");
    expect(csv.stderr).toContain("cut off at --limit 1");
  });

  it("prints OK and the affected rows for a statement that returns no columns", async () => {
    const dir = await builtQuickstart();
    const create = await runBruin(["query", "-c", "duckdb-default", "-q", "CREATE TABLE scratch (n INTEGER)"], {
      cwd: dir,
    });
    expect(create.code).toBe(0);
    expect(create.stdout).toBe("OK\n");
    const insert = await runBruin(["query", "-c", "duckdb-default", "-q", "INSERT INTO scratch VALUES (1), (2), (3)"], {
      cwd: dir,
    });
    expect(insert.stdout).toBe("OK, 3 rows affected\n");
    const update = await runBruin(["query", "-c", "duckdb-default", "-q", "UPDATE scratch SET n = 0 WHERE n = 2"], {
      cwd: dir,
    });
    expect(update.stdout).toBe("OK, 1 row affected\n");
    const json = await runBruin(["query", "-c", "duckdb-default", "-q", "DELETE FROM scratch", "-o", "json"], {
      cwd: dir,
    });
    expect(JSON.parse(json.stdout)).toEqual({
      columns: [],
      rows: [],
      connectionName: "duckdb-default",
      query: "DELETE FROM scratch",
      rows_affected: 3,
    });
    // A SELECT that finds nothing is still a table.
    const empty = await runBruin(["query", "-c", "duckdb-default", "-q", "SELECT n FROM scratch"], { cwd: dir });
    expect(empty.stdout).toMatch(/\| n \|/);
    expect(empty.stdout).toMatch(/^0 rows$/m);
  });

  it("runs an asset's rendered query on its connection", async () => {
    const dir = await builtQuickstart();
    const result = await runBruin(
      ["query", "--asset", path.join("assets", "staging", "orders_enriched.sql"), "-o", "csv", "-l", "1"],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("order_id,ordered_on,amount,customer_id,country");
    expect(result.stdout.trim().split("\n")).toHaveLength(2);
  });

  it("reports a failing query, and misuse of its flags", async () => {
    const dir = await builtQuickstart();
    const failing = await runBruin(["query", "-c", "duckdb-default", "-q", "SELECT * FROM nowhere"], { cwd: dir });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("nowhere");
    const missing = await runBruin(["query", "-c", "duckdb-default"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("pass --connection and --query, or --asset");
    const format = await runBruin(["query", "-c", "duckdb-default", "-q", "SELECT 1", "-o", "xml"], { cwd: dir });
    expect(format.code).toBe(2);
  });
});
