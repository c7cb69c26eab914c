import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DUCKDB_CONFIG as CONFIG,
  copyQuickstart,
  readDuckDB,
  runBruin,
  scratchRepo,
  sqlAsset,
  writeTree,
} from "./test-support/run-cli.js";

const rows = (root: string, sql: string) => readDuckDB(path.join(root, "db.duckdb"), sql);

/** raw → mid → top, plus a separate tagged branch, and an ingestr asset this CLI cannot run. */
function taggedPipeline(): string {
  const root = scratchRepo();
  const table = (header: string, query: string) =>
    sqlAsset(`type: duckdb.sql\nmaterialization: {type: table}\n${header}`, query);
  writeTree(root, {
    ".bruin.yml": CONFIG,
    "p/pipeline.yml": "name: flags\nvariables:\n  factor:\n    type: integer\n    default: 2\n",
    "p/assets/raw.sql": table("name: raw\ntags: [core]", "SELECT 1 AS n"),
    "p/assets/mid.sql": table("name: mid\ndepends: [raw]\ntags: [core]", "SELECT n * {{ var.factor }} AS n FROM raw"),
    "p/assets/top.sql": table("name: top\ndepends: [mid]\ntags: [reporting]", "SELECT n + 1 AS n FROM mid"),
    "p/assets/side.sql": table(
      "name: side\ntags: [side]\ncolumns:\n  - name: d\n    checks: [{name: not_null}]",
      "SELECT '{{ start_date }}' AS d",
    ),
    "p/assets/users.asset.yml": "name: ingest_asset\ntype: ingestr\ntags: [ingestr]\n",
  });
  return root;
}

const ran = (stdout: string) => [...stdout.matchAll(/Running: {2}(\S+)/g)].map((m) => m[1]).sort();

describe("bruin run selection flags", () => {
  it("runs one asset and, with --downstream, everything below it", async () => {
    const root = taggedPipeline();
    expect((await runBruin(["run", path.join(root, "p"), "-t", "core"])).code).toBe(0);
    const one = await runBruin(["run", path.join(root, "p/assets/mid.sql")]);
    expect(one.code).toBe(0);
    expect(ran(one.stdout)).toEqual(["mid"]);
    const down = await runBruin(["run", path.join(root, "p/assets/mid.sql"), "--downstream"]);
    expect(down.code).toBe(0);
    expect(ran(down.stdout)).toEqual(["mid", "top"]);
  });

  it("selects by tag and excludes by tag; an unselected ingestr asset does not stop the run", async () => {
    const root = taggedPipeline();
    const core = await runBruin(["run", path.join(root, "p"), "--tag", "core"]);
    expect(core.code).toBe(0);
    expect(ran(core.stdout)).toEqual(["mid", "raw"]);
    const notIngestr = await runBruin(["run", path.join(root, "p"), "-x", "ingestr"]);
    expect(notIngestr.code).toBe(0);
    expect(ran(notIngestr.stdout)).toEqual(["mid", "raw", "side", "side:d:not_null", "top"]);
  });

  it("fails validation naming an unsupported asset that is selected, unless --no-validation", async () => {
    const root = taggedPipeline();
    const all = await runBruin(["run", path.join(root, "p")]);
    expect(all.code).toBe(1);
    expect(all.stderr).toContain("ingest_asset");
    expect(all.stdout).not.toContain("Running:");
    const unchecked = await runBruin(["run", path.join(root, "p"), "--no-validation"]);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stdout).toMatch(/^FAIL ingest_asset$/m);
    expect(unchecked.stdout).toMatch(/^PASS top$/m);
  });

  it("rejects conflicting flags with exit code 2", async () => {
    const root = taggedPipeline();
    const downstream = await runBruin(["run", path.join(root, "p"), "--downstream"]);
    expect(downstream.code).toBe(2);
    const tagWithAsset = await runBruin(["run", path.join(root, "p/assets/mid.sql"), "--tag", "core"]);
    expect(tagWithAsset.code).toBe(2);
    const nothing = await runBruin(["run", path.join(root, "p"), "--tag", "nope"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("nope");
    const only = await runBruin(["run", path.join(root, "p"), "--only", "everything"]);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain("invalid --only 'everything'; possible values: main, checks");
  });

  it("runs only the checks, or only the main tasks", async () => {
    const root = taggedPipeline();
    expect((await runBruin(["run", path.join(root, "p"), "-x", "ingestr"])).code).toBe(0);
    const checks = await runBruin(["run", path.join(root, "p"), "-x", "ingestr", "--only", "checks"]);
    expect(checks.code).toBe(0);
    expect(ran(checks.stdout)).toEqual(["side:d:not_null"]);
    const main = await runBruin(["run", path.join(root, "p"), "-t", "side", "--only", "main"]);
    expect(ran(main.stdout)).toEqual(["side"]);
  });

  it("says there is nothing to run and exits 0", async () => {
    const root = taggedPipeline();
    const result = await runBruin(["run", path.join(root, "p"), "-t", "core", "--only", "checks"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No tasks to run.");
  });
});

describe("bruin run variables, dates and refresh", () => {
  it("renders variables from defaults, --var and BRUIN_VARS, and dates from the interval", async () => {
    const root = taggedPipeline();
    const base = [
      "run",
      path.join(root, "p"),
      "-x",
      "ingestr",
      "--start-date",
      "2024-03-05",
      "--end-date",
      "2024-03-06",
    ];
    expect((await runBruin(base)).code).toBe(0);
    expect(await rows(root, "SELECT n FROM top")).toEqual([{ n: 3 }]);
    expect(await rows(root, "SELECT d FROM side")).toEqual([{ d: "2024-03-05" }]);
    expect((await runBruin([...base, "--var", "factor=10"])).code).toBe(0);
    expect(await rows(root, "SELECT n FROM top")).toEqual([{ n: 11 }]);
    expect((await runBruin(base, { env: { BRUIN_VARS: '{"factor": 5}' } })).code).toBe(0);
    expect(await rows(root, "SELECT n FROM top")).toEqual([{ n: 6 }]);
    const unknown = await runBruin([...base, "--var", "nope=1"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("factor");
  });

  it("appends on each run and rebuilds with --full-refresh or BRUIN_FULL_REFRESH", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": CONFIG,
      "p/pipeline.yml": "name: append\n",
      "p/assets/log.sql": sqlAsset(
        "name: log\ntype: duckdb.sql\nmaterialization: {type: table, strategy: append}",
        "SELECT 1 AS n",
      ),
    });
    const p = path.join(root, "p");
    await runBruin(["run", p]);
    await runBruin(["run", p]);
    expect(await rows(root, "SELECT count(*) AS c FROM log")).toEqual([{ c: 2 }]);
    expect((await runBruin(["run", p, "-r"])).code).toBe(0);
    expect(await rows(root, "SELECT count(*) AS c FROM log")).toEqual([{ c: 1 }]);
    await runBruin(["run", p]);
    await runBruin(["run", p], { env: { BRUIN_FULL_REFRESH: "true" } });
    expect(await rows(root, "SELECT count(*) AS c FROM log")).toEqual([{ c: 1 }]);
  });
});

describe("bruin run output", () => {
  it("prints one JSON document and nothing else on stdout", async () => {
    const dir = copyQuickstart();
    const result = await runBruin([
      "run",
      dir,
      "--output",
      "json",
      "--start-date",
      "2024-01-01",
      "--end-date",
      "2024-01-01",
    ]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      pipeline: "quickstart",
      interval: { start: "2024-01-01T00:00:00Z", end: "2024-01-01T00:00:00Z" },
      status: "succeeded",
      exit_code: 0,
      totals: { assets: { succeeded: 5, failed: 0 }, checks: { succeeded: 13, failed: 0 } },
    });
    expect(document.tasks).toHaveLength(18);
    expect(document.tasks[0]).toEqual({
      id: expect.any(String),
      asset: expect.any(String),
      kind: expect.any(String),
      status: "succeeded",
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      duration_ms: expect.any(Number),
      error: null,
    });
  });

  it("reports a failure to start as JSON too", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["run", dir, "-o", "json", "--env", "prod"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "error", exit_code: 2 });
    expect(result.stderr).toContain("environment 'prod' not found");
  });

  it("shows a live progress line on a terminal and leaves the same summary", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["run", dir], { tty: true, env: { NO_COLOR: "1" } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\d+\/18 tasks done/);
    expect(result.stdout).not.toContain("Running:");
    expect(result.stdout).toMatch(/^PASS mart\.revenue_by_country \.\.\.\.$/m);
    expect(result.stdout).toContain("bruin run completed successfully");
    expect(result.all).not.toContain("\u001b[3");
  });

  it("uses color on a terminal unless --no-color or NO_COLOR, and plain lines in CI", async () => {
    const dir = copyQuickstart();
    const colored = await runBruin(["run", dir], { tty: true, env: { CI: "true" } });
    expect(colored.stdout).toContain("\u001b[32mPASS\u001b[0m");
    expect(colored.stdout).toContain("Running:");
    const plain = await runBruin(["run", dir, "--no-color"], { tty: true, env: { CI: "true" } });
    expect(plain.stdout).not.toContain("\u001b[");
  });

  it("prints each rendered query with --verbose", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": CONFIG,
      "p/pipeline.yml": "name: verbose\nvariables:\n  token:\n    type: string\n    default: none\n",
      "p/assets/a.sql": sqlAsset(
        "name: a\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT '{{ start_date }}' AS d, 7 AS n",
      ),
    });
    const result = await runBruin(["run", path.join(root, "p"), "--verbose", "--start-date", "2024-02-02"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Query of a:");
    expect(result.stdout).toContain("SELECT '2024-02-02' AS d, 7 AS n");
  });
});

describe("bruin validate", () => {
  it("approves a good pipeline", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["validate", dir]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("✓ Successfully validated 5 assets across 1 pipeline, all good.");
  });

  it("lists every problem: unsupported type, bad template, missing incremental key and a broken connection", async () => {
    const root = taggedPipeline();
    writeTree(root, {
      "p/assets/bad_template.sql": sqlAsset("name: bad_template\ntype: duckdb.sql", "SELECT {{ var.missing }}"),
      "p/assets/no_key.sql": sqlAsset(
        "name: no_key\ntype: duckdb.sql\nmaterialization: {type: table, strategy: delete+insert}",
        "SELECT 1",
      ),
      "p/assets/elsewhere.sql": sqlAsset("name: elsewhere\ntype: duckdb.sql\nconnection: ghost", "SELECT 1"),
    });
    const result = await runBruin(["validate", path.join(root, "p")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("ingest_asset");
    expect(result.stdout).toContain("bad_template");
    expect(result.stdout).toContain("incremental_key");
    expect(result.stdout).toContain("connection 'ghost' not found");
  });
});

describe("bruin run --secrets-backend env", () => {
  it("reads each connection from its BRUIN_CONNECTION_<NAME> variable, with no .bruin.yml", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: from-env\n",
      "p/assets/a.sql": sqlAsset(
        "name: a\ntype: duckdb.sql\nconnection: local-db\nmaterialization: {type: table}",
        "SELECT 42 AS n",
      ),
    });
    const env = {
      BRUIN_SECRETS_BACKEND: "env",
      BRUIN_CONNECTION_LOCAL_DB: JSON.stringify({ type: "duckdb", details: { path: path.join(root, "db.duckdb") } }),
    };
    const result = await runBruin(["run", path.join(root, "p")], { env });
    expect(result.code).toBe(0);
    expect(await rows(root, "SELECT n FROM a")).toEqual([{ n: 42 }]);
    const missing = await runBruin(["run", path.join(root, "p")], { env: { BRUIN_SECRETS_BACKEND: "env" } });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("local-db");
  });
});

describe("bruin run tolerance", () => {
  it("runs what it can when .bruin.yml and default_connections name platforms it does not support", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": `${CONFIG}      oracle:\n        - name: legacy\n          tns: whatever\n      athena:\n        - name: lake\n`,
      "p/pipeline.yml":
        "name: tolerant\ndefault_connections:\n  duckdb: duckdb-default\n  oracle: legacy\n  athena: lake\n",
      "p/assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS n"),
    });
    const result = await runBruin(["run", path.join(root, "p")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await rows(root, "SELECT n FROM a")).toEqual([{ n: 1 }]);
  });
});
