import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, readDuckDB, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const ran = (stdout: string) => [...stdout.matchAll(/Running: {2}(\S+)/g)].map((m) => m[1]).sort();

/**
 *   raw ── stg ── mart ── report
 *            └── side
 *   lonely
 * with checks on mart (a column check and a custom check). Every query is a
 * constant, so any part of the graph runs on its own.
 */
function graphPipeline(): string {
  const root = scratchRepo("bruin-select-");
  const table = (header: string, query: string) =>
    sqlAsset(`type: duckdb.sql\nmaterialization: {type: table}\n${header}`, query);
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": "name: graph\n",
    "p/assets/raw/raw.sql": table("name: raw\ntags: [ingest, team_a]", "SELECT 1 AS n"),
    "p/assets/stg.sql": table("name: stg\ndepends: [raw]\ntags: [core]", "SELECT 1 AS n"),
    "p/assets/mart/mart.sql": table(
      [
        "name: mart",
        "depends: [stg]",
        "tags: [core, daily]",
        "columns:",
        "  - name: n",
        "    checks: [{name: not_null}, {name: positive}]",
        "custom_checks:",
        "  - name: one row",
        "    query: SELECT count(*) FROM mart",
        "    value: 1",
      ].join("\n"),
      "SELECT 1 AS n",
    ),
    "p/assets/mart/report.sql": table("name: report\ndepends: [mart]\ntags: [daily]", "SELECT 1 AS n"),
    "p/assets/side.sql": table("name: side\ndepends: [stg]", "SELECT 1 AS n"),
    "p/assets/lonely.sql": table("name: lonely\ntags: [team_b]", "SELECT 2 AS n"),
  });
  return root;
}

describe("bruin run --selector", () => {
  it.each([
    ["tag:core", ["mart", "mart:custom-check:one_row", "mart:n:not_null", "mart:n:positive", "stg"]],
    ["tag:team_*", ["lonely", "raw"]],
    ["path:assets/mart --only main", ["mart", "report"]],
    ["file:side.sql", ["side"]],
    ["fqn:report", ["report"]],
    ["+report --only main", ["mart", "raw", "report", "stg"]],
    ["1+mart --only main", ["mart", "stg"]],
    ["stg+1 --only main", ["mart", "side", "stg"]],
    ["@side --only main", ["raw", "side", "stg"]],
    ["lonely side", ["lonely", "side"]],
    ["tag:core,tag:daily --only main", ["mart"]],
    ["stg+,tag:daily --only main", ["mart", "report"]],
  ])("--selector %s", async (spec, expected) => {
    const root = graphPipeline();
    const [selector = "", ...rest] = spec.split(" --");
    const extra = rest.flatMap((flag) => [`--${flag.split(" ")[0]}`, ...flag.split(" ").slice(1)]);
    const result = await runBruin(["run", path.join(root, "p"), "--selector", selector, ...extra]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(ran(result.stdout)).toEqual(expected);
  });

  it("combines with --tag, --exclude-tag and --downstream", async () => {
    const root = graphPipeline();
    const p = path.join(root, "p");
    const both = await runBruin(["run", p, "--selector", "+report", "--tag", "core", "--only", "main"]);
    expect(ran(both.stdout)).toEqual(["mart", "stg"]);
    const excluded = await runBruin(["run", p, "--selector", "+report", "-x", "core", "--only", "main"]);
    expect(ran(excluded.stdout)).toEqual(["raw", "report"]);
    const down = await runBruin(["run", p, "--selector", "stg", "--downstream", "--only", "main"]);
    expect(ran(down.stdout)).toEqual(["mart", "report", "side", "stg"]);
    const tagDown = await runBruin(["run", p, "--tag", "daily", "--downstream", "--only", "main"]);
    expect(ran(tagDown.stdout)).toEqual(["mart", "report"]);
  });

  it("refuses a bad or empty selection with exit 2, before anything runs", async () => {
    const root = graphPipeline();
    const p = path.join(root, "p");
    const nothing = await runBruin(["run", p, "--selector", "tag:nope"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("no assets found with selector 'tag:nope' in pipeline 'graph'");
    const bad = await runBruin(["run", p, "--selector", "owner:me"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown method 'owner:'");
    const withAsset = await runBruin(["run", path.join(p, "assets/stg.sql"), "--selector", "raw"]);
    expect(withAsset.code).toBe(2);
    expect(withAsset.stderr).toContain("--selector cannot be used when running a single asset");
    expect(nothing.stdout + bad.stdout + withAsset.stdout).not.toContain("Running:");
  });
});

describe("bruin run --single-check", () => {
  it("a failing check says so in the reference's block, exit 1", async () => {
    const root = graphPipeline();
    const mart = path.join(root, "p/assets/mart/mart.sql");
    writeTree(root, {
      "p/assets/mart/mart.sql": sqlAsset(
        "name: mart\ntype: duckdb.sql\nmaterialization: {type: table}\ncustom_checks:\n  - name: two rows\n    query: SELECT count(*) FROM mart\n    value: 2",
        "SELECT 1 AS n",
      ),
    });
    expect((await runBruin(["run", mart])).code).toBe(1);
    const result = await runBruin(["run", mart, "--single-check", "custom-check:two_rows"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\nCheck Failed\n-{12}\nError: .+\n/);
  });

  it("runs one check of the asset given, by its ID, without the asset", async () => {
    const root = graphPipeline();
    const mart = path.join(root, "p/assets/mart/mart.sql");
    // The table must exist for its check to read it.
    expect((await runBruin(["run", path.join(root, "p"), "--only", "main"])).code).toBe(0);
    for (const id of ["mart:n:positive", "n:positive"]) {
      const result = await runBruin(["run", mart, "--single-check", id]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(ran(result.stdout)).toEqual(["mart:n:positive"]);
    }
    const custom = await runBruin(["run", mart, "--single-check", "mart:custom-check:one_row"]);
    expect(custom.code).toBe(0);
    expect(ran(custom.stdout)).toEqual(["mart:custom-check:one_row"]);
    // The reference's block after the summary.
    expect(custom.stdout).toContain("\nCheck Passed\n------------\nCheck: one row (custom)\nAsset: mart\n");
    const column = await runBruin(["run", mart, "--single-check", "n:not_null"]);
    expect(column.stdout).toContain("\nCheck Passed\n------------\nCheck: n.not_null\nAsset: mart\n");
  });

  it("refuses an unknown ID, naming the asset's checks, and a pipeline path", async () => {
    const root = graphPipeline();
    const unknown = await runBruin(["run", path.join(root, "p/assets/mart/mart.sql"), "--single-check", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "no check with ID 'nope' in this asset; its checks: mart:n:not_null, mart:n:positive, mart:custom-check:one_row",
    );
    const pipeline = await runBruin(["run", path.join(root, "p"), "--single-check", "mart:n:positive"]);
    expect(pipeline.code).toBe(2);
    expect(pipeline.stderr).toContain("--single-check can only be used with a single asset");
  });
});

describe("bruin run --modified", () => {
  function committed(): string {
    const root = graphPipeline();
    rmSync(path.join(root, ".git"), { recursive: true });
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: root,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.com",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.com",
        },
      });
    git("init", "-q");
    writeTree(root, { ".gitignore": "*.duckdb\n*.wal\nlogs/\n" });
    git("add", ".");
    git("commit", "-q", "-m", "pipeline");
    return root;
  }

  it("runs only the assets changed against HEAD; with --downstream also what depends on them", async () => {
    const root = committed();
    const p = path.join(root, "p");
    const none = await runBruin(["run", p, "--modified"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("No tasks to run.");
    appendFileSync(path.join(p, "assets/stg.sql"), "-- changed\n");
    writeTree(root, { "p/assets/new.sql": sqlAsset("name: new\ntype: duckdb.sql", "SELECT 3 AS n") });
    const changed = await runBruin(["run", p, "--modified", "--only", "main"]);
    expect(changed.stderr).toBe("");
    expect(changed.code).toBe(0);
    expect(ran(changed.stdout)).toEqual(["new", "stg"]);
    const down = await runBruin(["run", p, "--modified", "--downstream", "--only", "main"]);
    expect(down.code).toBe(0);
    expect(ran(down.stdout)).toEqual(["mart", "new", "report", "side", "stg"]);
    const withSelector = await runBruin(["run", p, "--modified", "--downstream", "--selector", "tag:daily"]);
    expect(withSelector.code).toBe(0);
    expect(withSelector.stdout).toContain("No tasks to run.");
  });

  it("outside a git repository exits 2", async () => {
    const root = graphPipeline();
    rmSync(path.join(root, ".git"), { recursive: true });
    const result = await runBruin(["run", path.join(root, "p"), "--modified"], {
      env: { GIT_CEILING_DIRECTORIES: path.dirname(root) },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--modified compares with git HEAD");
  });
});

describe("run state, the run log and --continue", () => {
  /** a → b → c, and d on its own; b fails until fixed. `c` keeps the interval start and a variable. */
  function failing(): string {
    const root = scratchRepo("bruin-continue-");
    const table = (header: string, query: string) =>
      sqlAsset(`type: duckdb.sql\nmaterialization: {type: table}\n${header}`, query);
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: resumable\nvariables:\n  factor:\n    type: integer\n    default: 1\n",
      "p/assets/a.sql": table("name: a", "SELECT 1 AS n"),
      "p/assets/b.sql": table("name: b\ndepends: [a]", "SELECT n FROM missing_table"),
      "p/assets/c.sql": table(
        "name: c\ndepends: [b]\ncolumns:\n  - name: n\n    checks: [{name: not_null}]",
        "SELECT n * {{ var.factor }} AS n, '{{ start_date }}' AS day FROM b",
      ),
      "p/assets/d.sql": table("name: d", "SELECT 4 AS n"),
    });
    return root;
  }

  const stateFiles = (root: string, pipeline: string) => {
    const folder = path.join(root, "logs", "runs", pipeline);
    return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith(".json")) : [];
  };

  it("writes the state under logs/runs/<pipeline>/ and a plain log under logs/, and ignores both in git", async () => {
    const root = failing();
    const result = await runBruin(["run", path.join(root, "p"), "--start-date", "2024-01-05", "--color"]);
    expect(result.code).toBe(1);
    const [stateFile, ...more] = stateFiles(root, "resumable");
    expect(more).toEqual([]);
    expect(stateFile).toMatch(/^\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.json$/);
    const state = JSON.parse(readFileSync(path.join(root, "logs", "runs", "resumable", stateFile!), "utf8"));
    expect(state).toMatchObject({ version: 1, pipeline: "resumable", path: path.join(root, "p") });
    expect(state.parameters).toMatchObject({ start_date: "2024-01-05T00:00:00Z", workers: 16, full_refresh: false });
    expect(Object.fromEntries(state.state.map((t: { id: string; status: string }) => [t.id, t.status]))).toEqual({
      a: "succeeded",
      b: "failed",
      c: "upstream_failed",
      "c:n:not_null": "upstream_failed",
      d: "succeeded",
    });
    const logs = readdirSync(path.join(root, "logs")).filter((name) => name.endsWith(".log"));
    expect(logs).toEqual([`${stateFile!.replace(".json", "")}__resumable.log`]);
    const text = readFileSync(path.join(root, "logs", logs[0]!), "utf8");
    expect(text).toContain("Running:  a");
    expect(text).toContain("missing_table");
    // The terminal had colour; the log has none.
    expect(result.stdout).toContain("\u001b[");
    expect(text).not.toContain("\u001b");
    expect(readFileSync(path.join(root, ".gitignore"), "utf8").split("\n")).toEqual(
      expect.arrayContaining(["logs/*.log", "logs/runs"]),
    );
  });

  it("--no-log-file writes neither the log nor the state", async () => {
    const root = failing();
    expect((await runBruin(["run", path.join(root, "p"), "--no-log-file"])).code).toBe(1);
    expect(existsSync(path.join(root, "logs"))).toBe(false);
    expect(existsSync(path.join(root, ".gitignore"))).toBe(false);
  });

  it("a run refused before it starts leaves no log and no state", async () => {
    const root = failing();
    expect((await runBruin(["run", path.join(root, "p"), "-e", "nope"])).code).toBe(2);
    expect((await runBruin(["run", path.join(root, "p"), "--selector", "tag:none"])).code).toBe(2);
    expect(existsSync(path.join(root, "logs"))).toBe(false);
  });

  it("--continue after a failure that is then fixed reruns only the failed and not-run tasks, with the first run's interval and variables", async () => {
    const root = failing();
    const p = path.join(root, "p");
    const first = await runBruin([
      "run",
      p,
      "--start-date",
      "2024-01-05",
      "--end-date",
      "2024-01-06",
      "--var",
      "factor=7",
    ]);
    expect(first.code).toBe(1);
    writeTree(root, {
      "p/assets/b.sql": sqlAsset(
        "name: b\ntype: duckdb.sql\nmaterialization: {type: table}\ndepends: [a]",
        "SELECT n FROM a",
      ),
    });
    const resumed = await runBruin(["run", p, "--continue"]);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(ran(resumed.stdout)).toEqual(["b", "c", "c:n:not_null"]);
    expect(resumed.stdout).toContain("Interval: 2024-01-05T00:00:00Z - 2024-01-06T00:00:00Z");
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT n, day FROM c")).toEqual([
      { n: 7, day: "2024-01-05" },
    ]);
    // Everything succeeded now: another --continue has nothing to do.
    const again = await runBruin(["run", p, "--continue"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No tasks to run.");
    expect(stateFiles(root, "resumable")).toHaveLength(2);
  });

  it("--continue restores --apply-interval-modifiers, --variant and --sensor-mode", async () => {
    const root = scratchRepo("bruin-continue-flags-");
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": [
        "name: flags",
        "variables:",
        "  client: {type: string, default: none}",
        "variants:",
        "  acme: {client: acme}",
        "",
      ].join("\n"),
      "p/assets/w.sql": sqlAsset(
        "name: w\ntype: duckdb.sql\nmaterialization: {type: table}\ninterval_modifiers: {start: -1d}",
        "SELECT '{{ start_date }}' AS day, '{{ var.client }}' AS client",
      ),
      "p/assets/x.sql": sqlAsset(
        "name: x\ntype: duckdb.sql\ndepends: [w]\nmaterialization: {type: table}",
        "SELECT * FROM missing_table",
      ),
    });
    const p = path.join(root, "p");
    const first = await runBruin([
      "run",
      p,
      "--variant",
      "acme",
      "--apply-interval-modifiers",
      "--sensor-mode",
      "skip",
      "--start-date",
      "2024-01-05",
      "--end-date",
      "2024-01-06",
    ]);
    expect(first.code).toBe(1);
    const [stateFile] = stateFiles(root, "flags");
    const state = JSON.parse(readFileSync(path.join(root, "logs", "runs", "flags", stateFile!), "utf8"));
    expect(state.parameters).toMatchObject({ apply_interval_modifiers: true, variant: "acme", sensor_mode: "skip" });
    // x fixed, and w made to fail if it ran again: only x runs, with the first run's variant and modifiers.
    writeTree(root, {
      "p/assets/x.sql": sqlAsset(
        "name: x\ntype: duckdb.sql\ndepends: [w]\nmaterialization: {type: table}",
        "SELECT day, client, '{{ start_date }}' AS x_day, '{{ var.client }}' AS x_client FROM w",
      ),
    });
    const resumed = await runBruin(["run", p, "--continue"]);
    expect(resumed.code, resumed.all).toBe(0);
    expect(ran(resumed.stdout)).toEqual(["x"]);
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT * FROM x")).toEqual([
      { day: "2024-01-04", client: "acme", x_day: "2024-01-05", x_client: "acme" },
    ]);
  });

  it("--continue keeps what a partly fixed continue left to do", async () => {
    const root = failing();
    const p = path.join(root, "p");
    expect((await runBruin(["run", p, "--only", "main"])).code).toBe(1);
    // Still failing: the state of the continued run carries the earlier outcomes over.
    expect((await runBruin(["run", p, "--continue"])).code).toBe(1);
    writeTree(root, {
      "p/assets/b.sql": sqlAsset(
        "name: b\ntype: duckdb.sql\nmaterialization: {type: table}\ndepends: [a]",
        "SELECT n FROM a",
      ),
    });
    const resumed = await runBruin(["run", p, "--continue"]);
    expect(resumed.code).toBe(0);
    // --only main of the first run still applies: no check runs.
    expect(ran(resumed.stdout)).toEqual(["b", "c"]);
  });

  it("--continue after an interrupted run runs what did not start", async () => {
    const root = failing();
    writeTree(root, {
      "p/assets/b.sql": sqlAsset(
        "name: b\ntype: duckdb.sql\nmaterialization: {type: table}\ndepends: [a]",
        "SELECT n FROM a",
      ),
    });
    const p = path.join(root, "p");
    // Ctrl-C as soon as `a` starts: it finishes, nothing else starts.
    const interrupted = await runBruin(["run", p, "--workers", "1", "--only", "main"], {
      interruptOn: /Running: {2}a/,
    });
    expect(interrupted.code).toBe(130);
    const resumed = await runBruin(["run", p, "--continue"]);
    expect(resumed.code).toBe(0);
    expect(ran(resumed.stdout)).not.toContain("a");
    expect(ran(resumed.stdout)).toEqual(expect.arrayContaining(["b", "c"]));
  });

  it("--continue without an earlier run exits 1", async () => {
    const root = failing();
    const result = await runBruin(["run", path.join(root, "p"), "--continue"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Failed to restore state: no run of pipeline 'resumable' to continue");
  });

  it("masks a secret in an error in the log file as in the terminal", async () => {
    const root = scratchRepo("bruin-log-secret-");
    const secret = "log-secret-9f8e7d6c5b4a";
    writeTree(root, {
      ".bruin.yml": `${DUCKDB_CONFIG}      generic:\n        - name: api_key\n          value: ${secret}\n`,
      "p/pipeline.yml": "name: leaky\nvariables:\n  token: {type: string, default: none}\n",
      "p/assets/leak.py": [
        '"""@bruin',
        "name: leak",
        "type: python",
        "secrets:",
        "  - key: api_key",
        "    inject_as: API_KEY",
        '@bruin"""',
        "import os",
        "print('calling with', os.environ['API_KEY'])",
        "raise SystemExit('the service refused key ' + os.environ['API_KEY'])",
        "",
      ].join("\n"),
    });
    // The secret's value given as a --var too: the run's state, which keeps the variables, is masked as well.
    const result = await runBruin(["run", path.join(root, "p"), "--var", `token=${secret}`]);
    expect(result.code).toBe(1);
    expect(result.all).toContain("the service refused key");
    expect(result.all).not.toContain(secret);
    const logs = readdirSync(path.join(root, "logs")).filter((name) => name.endsWith(".log"));
    expect(logs).toHaveLength(1);
    const text = readFileSync(path.join(root, "logs", logs[0]!), "utf8");
    expect(text).toContain("the service refused key");
    expect(text).not.toContain(secret);
    const states = readdirSync(path.join(root, "logs", "runs", "leaky"));
    expect(states).toHaveLength(1);
    const state = readFileSync(path.join(root, "logs", "runs", "leaky", states[0]!), "utf8");
    expect(state).toContain('"token"');
    expect(state).not.toContain(secret);
  });
});

describe("bruin run --timeout", () => {
  const SLOW = "SELECT sum(a.range * b.range) AS total FROM range(1000000) a, range(1000000) b";

  function slowPipeline(): string {
    const root = scratchRepo("bruin-timeout-");
    const table = (header: string, query: string) =>
      sqlAsset(`type: duckdb.sql\nmaterialization: {type: table}\n${header}`, query);
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: slowpoke\n",
      "p/assets/fast.sql": table("name: fast", "SELECT 1 AS n"),
      "p/assets/slow.sql": table("name: slow\ndepends: [fast]", SLOW),
      "p/assets/after.sql": table("name: after\ndepends: [slow]", "SELECT 2 AS n"),
    });
    return root;
  }

  it("cancels the running query on its engine at the deadline and starts nothing else: exit 1", async () => {
    const root = slowPipeline();
    const started = Date.now();
    const result = await runBruin(["run", path.join(root, "p"), "--timeout", "1"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "Error: the run did not finish within --timeout 1s: its running tasks were cancelled and the others were not started",
    );
    expect(result.stdout).toMatch(/^PASS fast$/m);
    expect(result.stdout).toMatch(/^FAIL slow$/m);
    expect(ran(result.stdout)).toEqual(["fast", "slow"]);
    // The state says what to continue: the cancelled asset failed, its downstream did not run.
    const folder = path.join(root, "logs", "runs", "slowpoke");
    const [file] = readdirSync(folder);
    const state = JSON.parse(readFileSync(path.join(folder, file!), "utf8")) as {
      state: { id: string; status: string }[];
    };
    expect(Object.fromEntries(state.state.map((t) => [t.id, t.status]))).toEqual({
      fast: "succeeded",
      slow: "failed",
      after: "upstream_failed",
    });
  });

  it("a run that ends in time is not affected", async () => {
    const root = slowPipeline();
    const quick = await runBruin(["run", path.join(root, "p/assets/fast.sql"), "--timeout", "60"]);
    expect(quick.stderr).toBe("");
    expect(quick.code).toBe(0);
    expect(quick.stdout).not.toContain("--timeout");
  });

  it.each(["0", "-1"])("refuses --timeout %s with exit 2", async (value) => {
    const root = slowPipeline();
    const result = await runBruin(["run", path.join(root, "p"), "--timeout", value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--timeout must be a positive number of seconds, got '${value}'`);
  });
});

describe("--force, --mask-credentials, --query-annotations, --backfill-id/--backfill-total, --push-metadata", () => {
  const PROD_CONFIG = [
    "environments:",
    "  default:",
    "    connections:",
    "      duckdb:",
    "        - name: duckdb-default",
    "          path: dev.duckdb",
    "  production:",
    "    connections:",
    "      duckdb:",
    "        - name: duckdb-default",
    "          path: prod.duckdb",
    "",
  ].join("\n");

  function simple(config = DUCKDB_CONFIG): string {
    const root = scratchRepo("bruin-flags5-");
    writeTree(root, {
      ".bruin.yml": config,
      "p/pipeline.yml": "name: five\n",
      "p/assets/t.sql": sqlAsset("name: t\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS n"),
    });
    return root;
  }

  /** runCli with a terminal that answers `answer` to a yes/no question. */
  async function withAnswer(args: string[], answer: boolean) {
    const { runCli } = await import("./main.js");
    let stdout = "";
    let stderr = "";
    const asked: string[] = [];
    const code = await runCli(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { PATH: process.env.PATH },
      cwd: process.cwd(),
      confirm: async (question) => {
        asked.push(question);
        return answer;
      },
    });
    return { code, stdout, stderr, asked };
  }

  it("asks before a run on a 'prod' environment; no answer or no cancels with exit 1; --force does not ask", async () => {
    const root = simple(PROD_CONFIG);
    const p = path.join(root, "p");
    const unanswered = await runBruin(["run", p, "-e", "production"]);
    expect(unanswered.code).toBe(1);
    expect(unanswered.stderr).toContain("The operation is cancelled.");
    expect(existsSync(path.join(root, "prod.duckdb"))).toBe(false);
    const no = await withAnswer(["run", p, "-e", "production"], false);
    expect(no.asked).toEqual(["You are using a production environment. Are you sure you want to continue?"]);
    expect(no.code).toBe(1);
    expect(existsSync(path.join(root, "prod.duckdb"))).toBe(false);
    const yes = await withAnswer(["run", p, "-e", "production"], true);
    expect(yes.code).toBe(0);
    expect(existsSync(path.join(root, "prod.duckdb"))).toBe(true);
    for (const force of ["--force", "-f", "-force"]) {
      const forced = await withAnswer(["run", p, "-e", "production", force], false);
      expect(forced.asked).toEqual([]);
      expect(forced.code).toBe(0);
    }
    // Another environment is not asked about.
    const dev = await withAnswer(["run", p, "-e", "default"], false);
    expect(dev.asked).toEqual([]);
    expect(dev.code).toBe(0);
  });

  it("--mask-credentials=false warns first, then prints secrets as they are; the default masks them", async () => {
    const root = scratchRepo("bruin-unmasked-");
    const secret = "unmasked-demo-secret-1234";
    writeTree(root, {
      ".bruin.yml": `${DUCKDB_CONFIG}      generic:\n        - name: api_key\n          value: ${secret}\n`,
      "p/pipeline.yml": "name: shown\n",
      "p/assets/show.py": [
        '"""@bruin',
        "name: show",
        "type: python",
        "secrets:",
        "  - key: api_key",
        "    inject_as: API_KEY",
        '@bruin"""',
        "import os",
        "print('key is', os.environ['API_KEY'])",
        "",
      ].join("\n"),
    });
    const masked = await runBruin(["run", path.join(root, "p")]);
    expect(masked.code).toBe(0);
    expect(masked.all).not.toContain(secret);
    const shown = await runBruin(["run", path.join(root, "p"), "--mask-credentials=false"]);
    expect(shown.code).toBe(0);
    expect(shown.stderr.split("\n")[0]).toBe(
      "Warning: --mask-credentials=false: secret values are printed as they are, in the terminal and in the run's log",
    );
    expect(shown.stdout).toContain(`key is ${secret}`);
  });

  it("--backfill-id and --backfill-total are recorded in the run's state", async () => {
    const root = simple();
    const result = await runBruin(["run", path.join(root, "p"), "--backfill-id", "bf_2024", "--backfill-total", "12"]);
    expect(result.code).toBe(0);
    const folder = path.join(root, "logs", "runs", "five");
    const [file] = readdirSync(folder);
    expect(JSON.parse(readFileSync(path.join(folder, file!), "utf8")).parameters).toMatchObject({
      backfill_id: "bf_2024",
      backfill_total: 12,
    });
    const bad = await runBruin(["run", path.join(root, "p"), "--backfill-total", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--backfill-total must be a positive whole number, got '0'");
  });

  it("--push-metadata is accepted with a notice that there is nothing to push", async () => {
    const root = simple();
    const result = await runBruin(["run", path.join(root, "p"), "--push-metadata"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "--push-metadata: nothing to push: metadata push is for BigQuery, and this CLI runs no BigQuery asset",
    );
  });

  it("--query-annotations: malformed JSON exits 2 before anything runs", async () => {
    const root = simple();
    for (const value of ["{nope", "[1]", "42"]) {
      const result = await runBruin(["run", path.join(root, "p"), "--query-annotations", value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("invalid JSON in --query-annotations");
    }
    const fromEnv = await runBruin(["run", path.join(root, "p")], { env: { BRUIN_QUERY_ANNOTATIONS: "{" } });
    expect(fromEnv.code).toBe(2);
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
    const fine = await runBruin(["run", path.join(root, "p"), "--query-annotations", '{"team": "data"}']);
    expect(fine.code).toBe(0);
  });
});

describe("validation messages", () => {
  function pipelineWith(files: Record<string, string>): string {
    const root = scratchRepo("bruin-validation-");
    writeTree(root, { ".bruin.yml": DUCKDB_CONFIG, ...files });
    return root;
  }
  const table = (header: string) =>
    sqlAsset(`type: duckdb.sql\nmaterialization: {type: table}\n${header}`, "SELECT 1 AS n");

  it("a start_date of the pipeline or of an asset in another format fails validate and run, naming the file", async () => {
    const root = pipelineWith({
      "p/pipeline.yml": "name: dated\nstart_date: 2024/01/01\n",
      "p/assets/a.sql": table("name: a\nstart_date: 01-02-2024"),
      "p/assets/b.sql": table("name: b\nstart_date: 2024-01-02"),
    });
    const p = path.join(root, "p");
    const validate = await runBruin(["validate", p]);
    expect(validate.code).toBe(1);
    expect(validate.all).toContain(
      "start_date must be in the format of YYYY-MM-DD in the pipeline definition, '2024/01/01' given",
    );
    expect(validate.all).toMatch(
      /asset 'a' \(\S*a\.sql\): start_date must be in the format of YYYY-MM-DD in the asset definition, '01-02-2024' given/,
    );
    expect(validate.all).not.toContain("asset 'b'");
    const run = await runBruin(["run", p]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("start_date must be in the format of YYYY-MM-DD in the pipeline definition");
    expect(run.stdout).not.toContain("Running:");
  });

  it("a missing upstream fails validate and run with exit 1, naming the asset's file", async () => {
    const root = pipelineWith({
      "p/pipeline.yml": "name: orphaned\n",
      "p/assets/a.sql": table("name: a\ndepends: [ghost]"),
    });
    const p = path.join(root, "p");
    const expected = `asset 'a' (${path.join(p, "assets/a.sql")}) depends on 'ghost', which does not exist`;
    const validate = await runBruin(["validate", p]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(expected);
    const json = await runBruin(["validate", p, "-o", "json"]);
    expect(JSON.parse(json.stdout)[0].issues.a[0].description).toBe("Dependency 'ghost' does not exist");
    const run = await runBruin(["run", p]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(expected);
    expect(run.stdout).not.toContain("Running:");
  });

  it("validate and run say 'Successfully validated N assets' as the reference, counting the pipeline's assets", async () => {
    const root = pipelineWith({
      "p/pipeline.yml": "name: fine\n",
      "p/assets/a.sql": table("name: a"),
      "p/assets/b.sql": table("name: b"),
    });
    const p = path.join(root, "p");
    const validate = await runBruin(["validate", p]);
    expect(validate.code).toBe(0);
    expect(validate.stdout.trim()).toBe("✓ Successfully validated 2 assets across 1 pipeline, all good.");
    const one = await runBruin(["validate", path.join(p, "assets/a.sql")]);
    expect(one.stdout.trim()).toBe("✓ Successfully validated 2 assets across 1 pipeline, all good.");
    const run = await runBruin(["run", path.join(p, "assets/a.sql")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✓ Successfully validated 2 assets across 1 pipeline, all good.\n");
    const unchecked = await runBruin(["run", p, "--no-validation"]);
    expect(unchecked.stdout).not.toContain("Successfully validated");
  });
});
