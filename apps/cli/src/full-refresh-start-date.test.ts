import path from "node:path";
import { describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, readDuckDB, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const CAPTURE = "SELECT '{{ start_date }}' AS captured_start, '{{ end_date }}' AS captured_end";

/** As the reference's asset-level-start-date pipeline: a pipeline start_date, one asset with its own. */
function project(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": 'name: p\nstart_date: "2023-01-01"\n',
    "p/assets/no_start.sql": sqlAsset("name: no_start\ntype: duckdb.sql\nmaterialization: {type: table}", CAPTURE),
    "p/assets/own_start.sql": sqlAsset(
      'name: own_start\ntype: duckdb.sql\nstart_date: "2024-06-01"\nmaterialization: {type: table}',
      CAPTURE,
    ),
  });
  return root;
}

async function captured(root: string, table: string): Promise<string[]> {
  const [row] = await readDuckDB(path.join(root, "db.duckdb"), `SELECT captured_start, captured_end FROM ${table}`);
  return [String(row?.captured_start), String(row?.captured_end)];
}

describe("--full-refresh without a start date", () => {
  it("starts each asset at its start_date, else the pipeline's, to the run's end", async () => {
    const root = project();
    const result = await runBruin(["run", "--full-refresh", "--end-date", "2024-12-31", "p"], { cwd: root });
    expect(result.code, result.all).toBe(0);
    expect(await captured(root, "no_start")).toEqual(["2023-01-01", "2024-12-31"]);
    expect(await captured(root, "own_start")).toEqual(["2024-06-01", "2024-12-31"]);

    // render shows the same interval.
    const render = await runBruin(
      ["render", "p/assets/own_start.sql", "--raw-query", "--full-refresh", "--end-date", "2024-12-31"],
      { cwd: root },
    );
    expect(render.stdout.trim()).toBe("SELECT '2024-06-01' AS captured_start, '2024-12-31' AS captured_end");
  });

  it("a start date given (flag or BRUIN_START_DATE) wins, and without --full-refresh start_date changes nothing", async () => {
    const root = project();
    const given = await runBruin(
      ["run", "--full-refresh", "--start-date", "2024-01-15", "--end-date", "2024-01-31", "p"],
      { cwd: root },
    );
    expect(given.code, given.all).toBe(0);
    expect(await captured(root, "own_start")).toEqual(["2024-01-15", "2024-01-31"]);

    const fromVariable = await runBruin(["run", "--full-refresh", "--end-date", "2024-01-31", "p"], {
      cwd: root,
      env: { BRUIN_START_DATE: "2024-01-20" },
    });
    expect(fromVariable.code, fromVariable.all).toBe(0);
    expect(await captured(root, "no_start")).toEqual(["2024-01-20", "2024-01-31"]);

    const plain = await runBruin(["run", "--start-date", "2024-01-10", "--end-date", "2024-01-31", "p"], {
      cwd: root,
    });
    expect(plain.code, plain.all).toBe(0);
    expect(await captured(root, "own_start")).toEqual(["2024-01-10", "2024-01-31"]);
  });

  it("--continue of such a run starts each asset at its start_date again", async () => {
    const root = project();
    writeTree(root, {
      "p/assets/own_start.sql": sqlAsset(
        'name: own_start\ntype: duckdb.sql\nstart_date: "2024-06-01"\nmaterialization: {type: table}',
        "SELECT * FROM missing_table",
      ),
    });
    const first = await runBruin(["run", "--full-refresh", "--end-date", "2024-12-31", "p"], { cwd: root });
    expect(first.code).toBe(1);
    writeTree(root, {
      "p/assets/own_start.sql": sqlAsset(
        'name: own_start\ntype: duckdb.sql\nstart_date: "2024-06-01"\nmaterialization: {type: table}',
        CAPTURE,
      ),
    });
    const resumed = await runBruin(["run", "p", "--continue"], { cwd: root });
    expect(resumed.code, resumed.all).toBe(0);
    expect(await captured(root, "own_start")).toEqual(["2024-06-01", "2024-12-31"]);
  });

  it("an asset whose start_date is after the run's end fails, naming it", async () => {
    const root = project();
    const result = await runBruin(["run", "--full-refresh", "--end-date", "2024-03-01", "p"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.all).toContain(
      "asset 'own_start': a full refresh starts at its start_date 2024-06-01, after the end date 2024-03-01",
    );
    expect(await captured(root, "no_start")).toEqual(["2023-01-01", "2024-03-01"]);
    expect(result.all).toContain("Interval: 2023-01-01T00:00:00Z - 2024-03-01T00:00:00Z");

    // Without a pipeline start_date the default start (yesterday) is checked against the end, as for any run.
    writeTree(root, { "p/pipeline.yml": "name: p\n" });
    const unordered = await runBruin(["run", "--full-refresh", "--end-date", "2024-03-01", "p"], { cwd: root });
    expect(unordered.code).toBe(1);
    expect(unordered.all).toContain("Start date cannot be after end date.");
  });
});
