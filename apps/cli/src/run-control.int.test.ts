import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { DUCKDB_CONFIG, REPO_ROOT, readDuckDB, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";
import { connectServer, serversConfig } from "./test-support/servers.js";

// The built CLI, as users run it: `pnpm build` first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

function bruin(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    input: options.input ?? "",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, all: result.stdout + result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

const ran = (stdout: string) => [...stdout.matchAll(/Running: {2}(\S+)/g)].map((m) => m[1]).sort();

/** a → b, and c tagged `x`; `dates` keeps the interval it was rendered with; `v` keeps a variable. */
function fixture(): string {
  const root = scratchRepo("bruin-control-");
  const table = (header: string, query: string) =>
    sqlAsset(`type: duckdb.sql\nmaterialization: {type: table}\n${header}`, query);
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": "name: control\nvariables:\n  factor:\n    type: integer\n    default: 2\n",
    "p/assets/a.sql": table("name: a", "SELECT 1 AS n"),
    "p/assets/b.sql": table("name: b\ndepends: [a]", "SELECT n + 1 AS n FROM a"),
    "p/assets/c.sql": table("name: c\ntags: [x]", "SELECT {{ var.factor }} AS n"),
    "p/assets/dates.sql": table(
      "name: dates\ntags: [d]",
      "SELECT '{{ start_datetime }}' AS s, '{{ end_datetime }}' AS e, '{{ end_date }}' AS ed",
    ),
  });
  return root;
}

describe("arguments as the reference reads them", () => {
  it("a single-value flag takes one value: the next word is the path", () => {
    const root = fixture();
    for (const args of [
      ["run", "--tag", "x", "p"],
      ["run", "p", "--tag", "x"],
      ["run", "-t", "x", "p"],
      ["run", "-tag", "x", "p"],
    ]) {
      const result = bruin([...args, "--no-color"], { cwd: root });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(ran(result.stdout)).toEqual(["c"]);
    }
    const excluded = bruin(["run", "--exclude-tag", "x", "p", "--no-color"], { cwd: root });
    expect(excluded.code).toBe(0);
    expect(ran(excluded.stdout)).toEqual(["a", "b", "dates"]);
    const only = bruin(["run", "--only", "main", "p", "--tag", "x"], { cwd: root });
    expect(only.code).toBe(0);
    expect(ran(only.stdout)).toEqual(["c"]);
  });

  it("--var takes one value; the next word is the path", async () => {
    const root = fixture();
    const result = bruin(["run", "--var", "factor=5", "p", "-t", "x"], { cwd: root });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT n FROM c")).toEqual([{ n: 5 }]);
  });

  it("single-dash long flags: -env, -workers, -tag, -no-color, -workers=N", () => {
    const root = fixture();
    const result = bruin(["run", "-env", "default", "-workers", "1", "-tag", "x", "-no-color", "p"], { cwd: root });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(ran(result.stdout)).toEqual(["c"]);
    expect(result.stdout).not.toContain("\u001b[");
    const equals = bruin(["run", "p", "-workers=1", "-tag=x"], { cwd: root });
    expect(equals.code).toBe(0);
    expect(ran(equals.stdout)).toEqual(["c"]);
    // Letters are not bundled: -rt is one unknown flag, as in the reference.
    const bundled = bruin(["run", "p", "-rt", "x"], { cwd: root });
    expect(bundled.code).toBe(2);
    expect(bundled.stderr).toContain("Unknown flag --rt");
    const typo = bruin(["run", "p", "-wokers", "2"], { cwd: root });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Unknown flag --wokers. Did you mean --workers?");
  });

  it("a date alone as --end-date is 00:00:00 of that day in templates and the interval line", async () => {
    const root = fixture();
    const result = bruin(["run", "p", "-t", "d", "--start-date", "2024-01-01", "--end-date", "2024-01-03"], {
      cwd: root,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Interval: 2024-01-01T00:00:00Z - 2024-01-03T00:00:00Z");
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT s, e, ed FROM dates")).toEqual([
      { s: "2024-01-01T00:00:00", e: "2024-01-03T00:00:00", ed: "2024-01-03" },
    ]);
    // BRUIN_END_DATE reads the same way.
    const fromEnv = bruin(["run", "p", "-t", "d", "--start-date", "2024-01-01"], {
      cwd: root,
      env: { BRUIN_END_DATE: "2024-01-02" },
    });
    expect(fromEnv.code).toBe(0);
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT e FROM dates")).toEqual([
      { e: "2024-01-02T00:00:00" },
    ]);
  });

  it("a start after the end exits 1 with the reference's message, before anything runs", () => {
    const root = fixture();
    const result = bruin(["run", "p", "--start-date", "2024-02-02", "--end-date", "2024-02-01"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "Start date cannot be after end date. Given start date: 2024-02-02 00:00:00, end date: 2024-02-01 00:00:00",
    );
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
  });
});

describe("selection in the built CLI", () => {
  it("--selector, with --downstream and --only", () => {
    const root = fixture();
    const cases: [string[], string[]][] = [
      [
        ["--selector", "+b"],
        ["a", "b"],
      ],
      [
        ["--selector", "a+"],
        ["a", "b"],
      ],
      [
        ["--selector", "tag:x b"],
        ["b", "c"],
      ],
      [["--selector", "tag:*,path:assets/c.sql"], ["c"]],
      [
        ["--selector", "a", "--downstream"],
        ["a", "b"],
      ],
    ];
    for (const [flags, expected] of cases) {
      const result = bruin(["run", "p", ...flags, "--no-color"], { cwd: root });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(ran(result.stdout)).toEqual(expected);
    }
    const none = bruin(["run", "p", "--selector", "tag:nope"], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no assets found with selector 'tag:nope'");
  });
});

describe("run state and --continue in the built CLI", () => {
  it("continues a failed run once it is fixed; the log holds the run's output", () => {
    const root = scratchRepo("bruin-control-continue-");
    const table = (header: string, query: string) =>
      sqlAsset(`type: duckdb.sql\nmaterialization: {type: table}\n${header}`, query);
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: again\n",
      "p/assets/a.sql": table("name: a", "SELECT 1 AS n"),
      "p/assets/b.sql": table("name: b\ndepends: [a]", "SELECT n FROM missing_table"),
      "p/assets/c.sql": table("name: c\ndepends: [b]", "SELECT '{{ start_date }}' AS day FROM b"),
    });
    const first = bruin(["run", "p", "--start-date", "2024-03-01"], { cwd: root });
    expect(first.code).toBe(1);
    expect(readdirSync(path.join(root, "logs", "runs", "again"))).toHaveLength(1);
    const log = readdirSync(path.join(root, "logs")).find((name) => name.endsWith("__again.log"));
    expect(readFileSync(path.join(root, "logs", log!), "utf8")).toContain("missing_table");
    writeTree(root, { "p/assets/b.sql": table("name: b\ndepends: [a]", "SELECT n FROM a") });
    const resumed = bruin(["run", "p", "--continue", "--no-color"], { cwd: root });
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(ran(resumed.stdout)).toEqual(["b", "c"]);
    expect(resumed.stdout).toContain("Interval: 2024-03-01T00:00:00Z");
  });
});

describe("--timeout in the built CLI", () => {
  it("DuckDB: the slow query is cancelled at the deadline, its downstream never starts, exit 1", () => {
    const root = scratchRepo("bruin-control-timeout-");
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: late\n",
      "p/assets/slow.sql": sqlAsset(
        "name: slow\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT sum(a.range * b.range) AS total FROM range(1000000) a, range(1000000) b",
      ),
      "p/assets/after.sql": sqlAsset("name: after\ntype: duckdb.sql\ndepends: [slow]", "SELECT 1"),
    });
    const started = Date.now();
    const result = bruin(["run", "p", "-timeout", "1", "--no-color"], { cwd: root });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("did not finish within --timeout 1s");
    expect(ran(result.stdout)).toEqual(["slow"]);
  });

  describe("PostgreSQL", () => {
    let pg: ConnectionAdapter;
    beforeAll(async () => {
      pg = await connectServer("postgres", "timeout-observer-pg");
    });
    afterAll(async () => {
      await pg?.close();
    });

    it("the running statement is cancelled on the server (pg_stat_activity) at the deadline", async () => {
      const tag = `bruin_run_timeout_${process.pid}_${Date.now()}`;
      const root = scratchRepo("bruin-control-timeout-pg-");
      writeTree(root, {
        ".bruin.yml": serversConfig(""),
        "p/pipeline.yml": "name: latepg\n",
        "p/assets/slow.sql": sqlAsset("name: slow\ntype: pg.sql", `SELECT pg_sleep(30) AS ${tag}`),
      });
      const started = Date.now();
      const result = bruin(["run", "p", "--timeout", "2", "--no-color"], { cwd: root });
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("did not finish within --timeout 2s");
      const left = await pg.query(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${tag}%' AND pid <> pg_backend_pid()`,
      );
      expect(Number(left.rows[0]!.n)).toBe(0);
    });
  });
});

describe("--force and --query-annotations in the built CLI", () => {
  it("a 'prod' environment asks on stdin: y runs, no answer cancels with exit 1, --force does not ask", () => {
    const root = scratchRepo("bruin-control-prod-");
    writeTree(root, {
      ".bruin.yml": [
        "environments:",
        "  prod:",
        "    connections:",
        "      duckdb:",
        "        - name: duckdb-default",
        "          path: prod.duckdb",
        "",
      ].join("\n"),
      "p/pipeline.yml": "name: careful\n",
      "p/assets/t.sql": sqlAsset("name: t\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS n"),
    });
    const cancelled = bruin(["run", "p", "--env", "prod"], { cwd: root });
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toContain(
      "You are using a production environment. Are you sure you want to continue? [y/N]",
    );
    expect(cancelled.stderr).toContain("The operation is cancelled.");
    expect(existsSync(path.join(root, "prod.duckdb"))).toBe(false);
    const no = bruin(["run", "p", "--env", "prod"], { cwd: root, input: "n\n" });
    expect(no.code).toBe(1);
    const yes = bruin(["run", "p", "--env", "prod", "--no-color"], { cwd: root, input: "y\n" });
    expect(yes.code).toBe(0);
    expect(ran(yes.stdout)).toEqual(["t"]);
    const forced = bruin(["run", "p", "-env", "prod", "-f"], { cwd: root });
    expect(forced.stderr).not.toContain("production environment");
    expect(forced.code).toBe(0);
  });

  it("PostgreSQL: the statement the server runs starts with the -- @bruin.config: comment", async () => {
    const root = scratchRepo("bruin-control-annotations-");
    writeTree(root, {
      ".bruin.yml": serversConfig(""),
      "p/pipeline.yml": "name: annotated\n",
      "p/assets/q.sql": sqlAsset(
        "name: public.bruin_annotation_probe\ntype: pg.sql\nmaterialization: {type: table}",
        "SELECT current_query() AS q",
      ),
    });
    const result = bruin(["run", "p", "--query-annotations", '{"team":"data"}'], { cwd: root });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const pg = await connectServer("postgres", "annotation-reader");
    try {
      const rows = (await pg.query("SELECT q FROM public.bruin_annotation_probe")).rows;
      expect(String(rows[0]!.q)).toContain(
        '-- @bruin.config: {"asset":"public.bruin_annotation_probe","pipeline":"annotated","team":"data","type":"main"}\n',
      );
      await pg.exec("DROP TABLE public.bruin_annotation_probe");
    } finally {
      await pg.close();
    }
  });
});

describe("validation messages in the built CLI", () => {
  it("a bad start_date and a missing upstream exit 1, naming the files; a good pipeline says it was validated", () => {
    const root = scratchRepo("bruin-control-validation-");
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: checked\nstart_date: 2024-02-30\n",
      "p/assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql\ndepends: [ghost]", "SELECT 1 AS n"),
    });
    const validate = bruin(["validate", "p"], { cwd: root });
    expect(validate.code).toBe(1);
    expect(validate.all).toContain(
      "p/pipeline.yml: start_date must be in the format of YYYY-MM-DD in the pipeline definition, '2024-02-30' given",
    );
    const run = bruin(["run", "p"], { cwd: root });
    expect(run.code).toBe(1);
    writeTree(root, { "p/pipeline.yml": "name: checked\nstart_date: 2024-02-29\n" });
    const orphan = bruin(["run", "p"], { cwd: root });
    expect(orphan.code).toBe(1);
    expect(orphan.stderr).toContain("asset 'a' (p/assets/a.sql) depends on 'ghost', which does not exist");
    writeTree(root, { "p/assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql", "SELECT 1 AS n") });
    const good = bruin(["run", "p", "--no-color"], { cwd: root });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("✓ Successfully validated 1 assets across 1 pipeline, all good.");
  });
});
