import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DUCKDB_CONFIG,
  REPO_ROOT,
  copyQuickstart,
  readDuckDB,
  scratchRepo,
  sqlAsset,
  writeTree,
} from "./test-support/run-cli.js";

// The built CLI in a child process, as users run it: `pnpm build` first. The
// terminal cases run it under a pseudo-terminal through util-linux `script`.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

/** A clean environment: no CI, NO_COLOR or FORCE_COLOR from the machine running the tests. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    SHELL: "/bin/sh",
    TERM: "xterm-256color",
    ...extra,
  };
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** `bruin …` with stdout and stderr on pipes. */
function piped(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: baseEnv(env) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `bruin …` on a pseudo-terminal (`script -qfec CMD /dev/null`): stdout and
 * stderr are both the terminal, unless `redirect` sends stdout to a file.
 * Returns what the terminal showed.
 */
function onTerminal(args: string[], env: Record<string, string> = {}, redirect?: string) {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ") + (redirect ? ` > ${quote(redirect)}` : "");
  const result = spawnSync("script", ["-qfec", command, "/dev/null"], {
    encoding: "utf8",
    env: baseEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { code: result.status, screen: result.stdout };
}

/** A colour escape sequence (the live line's `\r\x1b[K` is not one). */
const COLOUR = /\u001b\[(?:3\d|9\d|1)m/;
const LIVE_LINE = /\r\u001b\[K.*\d+\/\d+ tasks done/;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
  const script = spawnSync("script", ["--version"], { encoding: "utf8" });
  if (script.status !== 0)
    throw new Error("these tests need util-linux 'script' (Debian: bsdutils) for a pseudo-terminal");
});

describe("colour and the live line", () => {
  let quickstart: string;
  beforeAll(() => {
    quickstart = copyQuickstart();
  });
  const run = () => ["run", quickstart, "--start-date", "2024-01-01", "--end-date", "2024-01-01"];

  it("in a pipe: no colour, no live line, one line per task with its time", () => {
    const result = piped(run());
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(COLOUR);
    expect(result.stderr).not.toMatch(LIVE_LINE);
    expect(result.stdout).toMatch(/\] Running: {2}raw\.orders\n/);
    expect(result.stdout).toMatch(/\] Finished: raw\.orders \(\d+\.\d\ds\)\n/);
  });

  it("in a pipe, FORCE_COLOR or --color force colour on; --no-color wins over FORCE_COLOR", () => {
    const forced = piped(run(), { FORCE_COLOR: "1" });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("\u001b[32mPASS\u001b[0m raw.orders");
    expect(piped([...run(), "--color"]).stdout).toContain("\u001b[32mPASS\u001b[0m raw.orders");
    expect(piped([...run(), "--no-color"], { FORCE_COLOR: "1" }).stdout).not.toMatch(COLOUR);
  });

  it("on a terminal: colour and the live line instead of per-task lines", () => {
    const result = onTerminal(run());
    expect(result.code).toBe(0);
    expect(result.screen).toContain("\u001b[32mPASS\u001b[0m raw.orders");
    expect(result.screen).toMatch(LIVE_LINE);
    expect(result.screen).not.toContain("Running:  raw.orders");
    expect(result.screen).toContain("bruin run completed successfully");
  });

  it("on a terminal, NO_COLOR, TERM=dumb and --no-color turn colour off; an empty NO_COLOR does not", () => {
    const noColor = onTerminal(run(), { NO_COLOR: "1" });
    expect(noColor.code).toBe(0);
    expect(noColor.screen).not.toMatch(COLOUR);
    expect(noColor.screen).toMatch(LIVE_LINE);
    expect(onTerminal([...run(), "--no-color"]).screen).not.toMatch(COLOUR);
    expect(onTerminal(run(), { NO_COLOR: "" }).screen).toMatch(COLOUR);

    // A dumb terminal cannot redraw a line either: it gets the plain lines.
    const dumb = onTerminal(run(), { TERM: "dumb" });
    expect(dumb.code).toBe(0);
    expect(dumb.screen).not.toMatch(COLOUR);
    expect(dumb.screen).not.toMatch(LIVE_LINE);
    expect(dumb.screen).toContain("Running:  raw.orders");
  });

  it("on a terminal in CI: no live line; CI=false and CI=0 are not CI", () => {
    const ci = onTerminal(run(), { CI: "true" });
    expect(ci.code).toBe(0);
    expect(ci.screen).not.toMatch(LIVE_LINE);
    expect(ci.screen).toContain("Running:  raw.orders");
    for (const value of ["false", "0"]) {
      const notCI = onTerminal(run(), { CI: value });
      expect(notCI.screen).toMatch(LIVE_LINE);
      expect(notCI.screen).not.toContain("Running:  raw.orders");
    }
  });

  it("on a terminal, a long-running task shows its elapsed time on the live line", async () => {
    const root = scratchRepo();
    const fifo = path.join(root, "gate.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: long\n",
      // Runs until the test writes to the FIFO.
      "p/assets/long_one.sql": sqlAsset(
        "name: long_one\ntype: duckdb.sql\nmaterialization: {type: table}",
        `SELECT * FROM read_csv('${fifo}', columns = {'id': 'INTEGER'}, header = false)`,
      ),
    });
    const command = [process.execPath, BIN, "run", path.join(root, "p")].map(quote).join(" ");
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: baseEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let screen = "";
    child.stdout.on("data", (chunk) => (screen += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    void exited.then(() =>
      open(fifo, "r").then(
        (handle) => handle.close(),
        () => undefined,
      ),
    );
    const gate = await open(fifo, "w");
    await delay(2300);
    await gate.write("1\n");
    await gate.close();
    expect(await exited).toBe(0);
    expect(screen).toMatch(/0\/1 tasks done · running: long_one \(2s\)/);
    expect(screen).toContain("bruin run completed successfully");
  });

  it("redirected to a file from a terminal: the log gets per-task lines with timings, and no escape codes", () => {
    const log = path.join(scratchRepo(), "run.log");
    const result = onTerminal(run(), {}, log);
    expect(result.code).toBe(0);
    const written = readFileSync(log, "utf8");
    expect(written).toMatch(/\] Running: {2}raw\.orders\n/);
    expect(written).toMatch(/\] Finished: mart\.revenue_by_country \(\d+\.\d\ds\)\n/);
    expect(written).toContain("bruin run completed successfully");
    expect(written).not.toContain("\u001b");
    // Nothing redraws the terminal when nobody reads the log there.
    expect(result.screen).not.toMatch(LIVE_LINE);
  });
});

describe("plain and JSON output agree", () => {
  /**
   * A pipeline with a failed asset, a failed blocking check, what is
   * downstream of both, and a branch skipped by Ctrl-C. `slow` reads a FIFO
   * (on a DuckDB file of its own, so the other tasks are not queued behind
   * it) and runs until the test writes to it.
   */
  function mixedPipeline() {
    const root = scratchRepo();
    const fifo = path.join(root, "gate.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const table = (name: string, query: string, extra = "") =>
      sqlAsset(`name: ${name}\ntype: duckdb.sql\nmaterialization: {type: table}\n${extra}`, query);
    const checked = "columns:\n  - name: id\n    checks: [{name: not_null}]";
    writeTree(root, {
      ".bruin.yml": `${DUCKDB_CONFIG}        - name: slow-db\n          path: slow.duckdb\n`,
      "p/pipeline.yml": "name: mixed\n",
      "p/assets/ok.sql": table("ok", "SELECT 1 AS id", checked),
      "p/assets/bad.sql": table("bad", "SELECT * FROM nowhere"),
      "p/assets/after_bad.sql": table("after_bad", "SELECT 1 AS id", `depends: [bad]\n${checked}`),
      "p/assets/checked.sql": table("checked", "SELECT * FROM (VALUES (1), (NULL)) t(id)", checked),
      "p/assets/after_checked.sql": table("after_checked", "SELECT 1 AS id", "depends: [checked]"),
      "p/assets/slow.sql": table(
        "slow",
        `SELECT * FROM read_csv('${fifo}', columns = {'id': 'INTEGER'}, header = false)`,
        "connection: slow-db",
      ),
      "p/assets/after_slow.sql": table(
        "after_slow",
        "SELECT 1 AS id",
        `connection: slow-db\ndepends: [slow]\n${checked}`,
      ),
    });
    return { pipeline: path.join(root, "p"), fifo };
  }

  /** Runs the pipeline, presses Ctrl-C while `slow` runs (after the fast branches ended), then lets `slow` finish. */
  async function interruptedRun(extra: string[]) {
    const { pipeline, fifo } = mixedPipeline();
    const child = spawn(process.execPath, [BIN, "run", pipeline, ...extra], { env: baseEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    let ended = false;
    void exited.then(async () => {
      ended = true;
      // Unblocks the open below when the run ended without reading the FIFO.
      await open(fifo, "r").then(
        (handle) => handle.close(),
        () => undefined,
      );
    });
    // Opening the FIFO for writing waits until `slow` opens it for reading.
    const gate = await open(fifo, "w");
    if (ended) throw new Error(`the run ended before 'slow' started:\n${stdout}\n${stderr}`);
    // `slow` waits for the gate: the fast branches end meanwhile.
    await delay(1500);
    child.kill("SIGINT");
    for (let i = 0; i < 100 && !stderr.includes("Interrupted"); i++) await delay(20);
    await gate.write("1\n");
    await gate.close();
    const code = await exited;
    return { code, stdout, stderr };
  }

  it("on every count, with failures, upstream failures, failed checks and skips", async () => {
    const [plain, json] = await Promise.all([interruptedRun(["--no-color"]), interruptedRun(["-o", "json"])]);
    expect(plain.code).toBe(130);
    expect(json.code).toBe(130);

    const document = JSON.parse(json.stdout);
    expect(document.status).toBe("interrupted");
    expect(document.exit_code).toBe(130);
    expect(document.totals).toEqual({
      assets: { succeeded: 3, failed: 1, upstream_failed: 2, skipped: 1 },
      checks: { succeeded: 1, failed: 1, upstream_failed: 1, skipped: 1 },
    });
    const status = Object.fromEntries(
      document.tasks.map((task: { id: string; status: string }) => [task.id, task.status]),
    );
    expect(status).toMatchObject({
      ok: "succeeded",
      bad: "failed",
      after_bad: "upstream_failed",
      checked: "succeeded",
      after_checked: "upstream_failed",
      slow: "succeeded",
      after_slow: "skipped",
    });
    for (const task of document.tasks as Array<{ error: string | null }>) {
      if (task.error !== null) expect(task.error).not.toMatch(/^Error: |^\s/m);
    }

    // The plain summary: each asset as it ended, a legend for the check marks, the same totals.
    expect(plain.stdout).toMatch(/^PASS ok \.$/m);
    expect(plain.stdout).toMatch(/^FAIL bad$/m);
    expect(plain.stdout).toMatch(/^UPSTREAM FAILED after_bad U$/m);
    expect(plain.stdout).toMatch(/^CHECKS FAILED checked F$/m);
    expect(plain.stdout).toMatch(/^UPSTREAM FAILED after_checked$/m);
    expect(plain.stdout).toMatch(/^PASS slow$/m);
    expect(plain.stdout).toMatch(/^SKIPPED after_slow S$/m);
    expect(plain.stdout).toContain("One mark per quality check: . passed, F failed, U upstream failed, S skipped.");
    expect(plain.stdout).toContain("bruin run was interrupted after");
    const totalsOf = (label: string) => {
      const line = new RegExp(`${label}\\s+(.*)$`, "m").exec(plain.stdout)?.[1] ?? "";
      const count = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(line)?.[1] ?? 0);
      return {
        succeeded: count("succeeded"),
        failed: count("(?<!upstream )failed"),
        upstream_failed: count("upstream failed"),
        skipped: count("skipped"),
      };
    };
    expect({ assets: totalsOf("Assets executed"), checks: totalsOf("Quality checks") }).toEqual(document.totals);
    expect(plain.stdout).toMatch(/Assets executed\s+1 failed \/ 3 succeeded \/ 2 upstream failed \/ 1 skipped$/m);
  });

  it("an error document has totals and bare error strings", () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: broken\n",
      "p/assets/one.sql": sqlAsset("name: one\ntype: duckdb.sql\ndepends: [missing_a]", "SELECT 1"),
      "p/assets/two.sql": sqlAsset("name: two\ntype: duckdb.sql\ndepends: [missing_b]", "SELECT 1"),
    });
    const result = piped(["run", path.join(root, "p"), "-o", "json"]);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ status: "error", exit_code: 1, tasks: [] });
    expect(document.totals).toEqual({
      assets: { succeeded: 0, failed: 0, upstream_failed: 0, skipped: 0 },
      checks: { succeeded: 0, failed: 0, upstream_failed: 0, skipped: 0 },
    });
    expect(document.errors.length).toBeGreaterThanOrEqual(3);
    for (const line of document.errors) expect(line).not.toMatch(/^(Error: |\s|- )/);
    expect(document.errors.join("\n")).toMatch(/missing_a/);
  });
});

describe("timestamps", () => {
  function timestampPipeline() {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: stamps\n",
      "p/assets/stamps.sql": sqlAsset(
        "name: stamps\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT '{{ start_timestamp }}' AS start_ts, '{{ end_timestamp }}' AS end_ts, '{{ end_datetime }}' AS end_dt",
      ),
    });
    return root;
  }

  it("keep the microseconds given, into templates and the JSON interval", async () => {
    const root = timestampPipeline();
    const result = piped([
      "run",
      path.join(root, "p"),
      "-o",
      "json",
      "--start-date",
      "2024-01-01 10:00:00.000007",
      "--end-date",
      "2024-01-01 11:00:00.654321",
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).interval).toEqual({
      start: "2024-01-01T10:00:00.000007Z",
      end: "2024-01-01T11:00:00.654321Z",
    });
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT * FROM stamps")).toEqual([
      { start_ts: "2024-01-01T10:00:00.000007Z", end_ts: "2024-01-01T11:00:00.654321Z", end_dt: "2024-01-01T11:00:00" },
    ]);
  });

  it("a date alone as --end-date is 00:00:00 of that day; the default end is 23:59:59.999999, as the help says", async () => {
    const root = timestampPipeline();
    const result = piped([
      "run",
      path.join(root, "p"),
      "--start-date",
      "2024-02-28",
      "--end-date",
      "2024-02-29",
      "--no-color",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Interval: 2024-02-28T00:00:00Z - 2024-02-29T00:00:00Z");
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT end_ts FROM stamps")).toEqual([
      { end_ts: "2024-02-29T00:00:00.000000Z" },
    ]);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const byDefault = piped(["run", path.join(root, "p"), "--no-color"]);
    expect(byDefault.code).toBe(0);
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT end_ts FROM stamps")).toEqual([
      { end_ts: `${yesterday}T23:59:59.999999Z` },
    ]);
    expect(piped(["run", "--help"]).stdout).toMatch(/default: yesterday 23:59:59\.999999 UTC/);
  });
});

describe("a DuckDB file locked by another process", () => {
  /** Another process holding `file` open read-write until it is told to let go. */
  async function holdLock(file: string) {
    const script = [
      'import { DuckDBInstance } from "@duckdb/node-api";',
      `const instance = await DuckDBInstance.create(${JSON.stringify(file)});`,
      "const connection = await instance.connect();",
      'process.stdout.write("held\\n");',
      'process.stdin.on("data", () => { connection.closeSync(); instance.closeSync(); process.exit(0); });',
    ].join("\n");
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: path.join(REPO_ROOT, "packages", "connections"),
      stdio: ["pipe", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve());
      child.on("exit", (code) => reject(new Error(`the lock holder exited with ${code}`)));
    });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    return {
      pid: child.pid!,
      release: async () => {
        child.stdin.write("go\n");
        await exited;
      },
    };
  }

  function threeAssets() {
    const root = scratchRepo();
    const table = (name: string) =>
      sqlAsset(`name: ${name}\ntype: duckdb.sql\nmaterialization: {type: table}`, "SELECT 1 AS n");
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: locked\n",
      "p/assets/a.sql": table("a"),
      "p/assets/b.sql": table("b"),
      "p/assets/c.sql": table("c"),
    });
    return root;
  }

  it("is reported once, before any asset runs, naming the holder's PID", async () => {
    const root = threeAssets();
    const holder = await holdLock(path.join(root, "db.duckdb"));
    try {
      const args = ["run", path.join(root, "p"), "--no-color"];
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: baseEnv() });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain("Running:");
      expect(result.stderr).toContain("Could not open the database files of this run; no asset was run:");
      expect(result.stderr.match(/is locked by another process/g)).toHaveLength(1);
      expect(result.stderr).toContain(`(PID ${holder.pid})`);
      expect(result.stderr).toContain("--lock-timeout");
    } finally {
      await holder.release();
    }
  });

  it("is waited for with --lock-timeout", async () => {
    const root = threeAssets();
    const holder = await holdLock(path.join(root, "db.duckdb"));
    const child = spawn(process.execPath, [BIN, "run", path.join(root, "p"), "--no-color", "--lock-timeout", "20"], {
      env: baseEnv(),
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await delay(700);
    expect(stdout).not.toContain("Running:");
    await holder.release();
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Assets executed\s+3 succeeded/);
  });

  it("refuses a negative --lock-timeout", () => {
    const result = piped(["run", threeAssets(), "--lock-timeout", "-1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--lock-timeout");
  });
});
