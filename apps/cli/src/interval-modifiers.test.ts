import path from "node:path";
import { describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, readDuckDB, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const WINDOW = "SELECT '{{ start_datetime }}' AS s, '{{ end_datetime }}' AS e";

/** A pipeline whose default shifts every interval, one asset with its own shift and one with a templated one. */
function project(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": ["name: p", "default:", "  interval_modifiers:", "    start: -1d", "    end: 2h", ""].join("\n"),
    "p/assets/inherits.sql": sqlAsset("name: inherits\ntype: duckdb.sql\nmaterialization:\n  type: table", WINDOW),
    "p/assets/own.sql": sqlAsset(
      "name: own\ntype: duckdb.sql\nmaterialization:\n  type: table\ninterval_modifiers:\n  start: -2h\n  end: 1h",
      WINDOW,
    ),
    "p/assets/templated.sql": sqlAsset(
      [
        "name: templated",
        "type: duckdb.sql",
        "materialization:",
        "  type: table",
        "interval_modifiers:",
        `  start: '{% if start_datetime == start_date ~ "T00:00:00" %}-20d{% else %}0{% endif %}'`,
      ].join("\n"),
      WINDOW,
    ),
  });
  return root;
}

async function windows(root: string): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const table of ["inherits", "own", "templated"]) {
    const [row] = await readDuckDB(path.join(root, "db.duckdb"), `SELECT s, e FROM ${table}`);
    found[table] = [String(row?.s), String(row?.e)];
  }
  return found;
}

const DATES = ["--start-date", "2025-01-10", "--end-date", "2025-01-11 00:00:00"];

describe("interval_modifiers and --apply-interval-modifiers", () => {
  it("shift each asset's interval only when the run asks for it; the asset's own modifiers replace the default", async () => {
    const root = project();
    const plain = await runBruin(["run", "p", ...DATES], { cwd: root });
    expect(plain.code, plain.all).toBe(0);
    expect(await windows(root)).toEqual({
      inherits: ["2025-01-10T00:00:00", "2025-01-11T00:00:00"],
      own: ["2025-01-10T00:00:00", "2025-01-11T00:00:00"],
      templated: ["2025-01-10T00:00:00", "2025-01-11T00:00:00"],
    });

    const applied = await runBruin(["run", "p", "--apply-interval-modifiers", ...DATES], { cwd: root });
    expect(applied.code, applied.all).toBe(0);
    expect(await windows(root)).toEqual({
      inherits: ["2025-01-09T00:00:00", "2025-01-11T02:00:00"],
      own: ["2025-01-09T22:00:00", "2025-01-11T01:00:00"],
      // The template sees the run's own interval: it starts at midnight, so the start moves back 20 days.
      templated: ["2024-12-21T00:00:00", "2025-01-11T00:00:00"],
    });

    // A full refresh rebuilds for the interval given: the modifiers are not applied.
    const refresh = await runBruin(["run", "p", "--apply-interval-modifiers", "--full-refresh", ...DATES], {
      cwd: root,
    });
    expect(refresh.code, refresh.all).toBe(0);
    expect((await windows(root)).own).toEqual(["2025-01-10T00:00:00", "2025-01-11T00:00:00"]);
  });

  it("a Python asset's BRUIN_START_DATETIME is shifted too (its own modifiers replace the default, end included)", async () => {
    const root = project();
    writeTree(root, {
      "p/assets/py.py": [
        '"""@bruin',
        "name: py",
        "interval_modifiers:",
        "  start: -3h",
        '@bruin"""',
        "import os",
        'print("window", os.environ["BRUIN_START_DATETIME"], os.environ["BRUIN_END_DATETIME"])',
        "",
      ].join("\n"),
    });
    const result = await runBruin(["run", "p/assets/py.py", "--apply-interval-modifiers", ...DATES], { cwd: root });
    expect(result.code, result.all).toBe(0);
    expect(result.all).toContain("window 2025-01-09T21:00:00 2025-01-11T00:00:00");
  });

  it("render shows the shifted interval with --apply-interval-modifiers", async () => {
    const root = project();
    const args = ["render", "p/assets/own.sql", "--raw-query", ...DATES];
    const plain = await runBruin(args, { cwd: root });
    expect(plain.stdout.trim()).toBe("SELECT '2025-01-10T00:00:00' AS s, '2025-01-11T00:00:00' AS e");
    const applied = await runBruin([...args, "--apply-interval-modifiers"], { cwd: root });
    expect(applied.code, applied.all).toBe(0);
    expect(applied.stdout.trim()).toBe("SELECT '2025-01-09T22:00:00' AS s, '2025-01-11T01:00:00' AS e");
  });

  it("a shift in a wrong format is a validation error naming the asset's file", async () => {
    const root = project();
    writeTree(root, {
      "p/assets/own.sql": sqlAsset(
        "name: own\ntype: duckdb.sql\ninterval_modifiers:\n  start: 1h30m",
        "SELECT 1 AS one",
      ),
    });
    const result = await runBruin(["validate", "p"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.all).toContain("own.sql");
    expect(result.all).toContain("'interval_modifiers.start' is '1h30m'");
  });

  it("an asset whose shifted start is after its shifted end fails; the others run", async () => {
    const root = project();
    writeTree(root, {
      "p/assets/own.sql": sqlAsset("name: own\ntype: duckdb.sql\ninterval_modifiers:\n  start: 2d", "SELECT 1 AS one"),
    });
    const result = await runBruin(["run", "p", "--apply-interval-modifiers", ...DATES], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.all).toContain(
      "asset 'own': with its interval modifiers the start date 2025-01-12T00:00:00.000000Z is after the end date",
    );
    expect(result.all).toMatch(/PASS inherits/);
  });
});
