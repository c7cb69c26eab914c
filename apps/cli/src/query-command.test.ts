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

    const json = await runBruin(["query", "--connection", "duckdb-default", "--query", sql, "-o", "json"], { cwd: dir });
    expect(JSON.parse(json.stdout)).toEqual({
      columns: ["country", "orders"],
      rows: [["DE", 1], ["FR", 1], ["NL", 1], ["US", 3]],
    });

    const csv = await runBruin(["query", "-c", "duckdb-default", "-q", sql, "-o", "csv", "--limit", "2"], { cwd: dir });
    expect(csv.stdout).toBe("country,orders\nDE,1\nFR,1\n");
  });

  it("runs an asset's rendered query on its connection", async () => {
    const dir = await builtQuickstart();
    const result = await runBruin(["query", "--asset", path.join("assets", "staging", "orders_enriched.sql"), "-o", "csv", "-l", "1"], { cwd: dir });
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
