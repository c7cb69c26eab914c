import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, REPO_ROOT, readDuckDB, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

// These run the built CLI as users do: `pnpm build` first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

function bruin(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `root` with its size and modification time: what a command wrote shows up here. */
function snapshot(root: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else entries.push(`${path.relative(root, full)} ${stat.size} ${stat.mtimeMs}`);
    }
  };
  walk(root);
  return entries.sort();
}

/** A pipeline with one table asset and an integer variable, its DuckDB file next to .bruin.yml. */
function fixture(): string {
  const root = scratchRepo("bruin-args-");
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": "name: args\nvariables:\n  factor:\n    type: integer\n    default: 2\n",
    "p/assets/t.sql": sqlAsset(
      "name: t\ntype: duckdb.sql\nmaterialization: {type: table}",
      "SELECT {{ var.factor }} AS n",
    ),
  });
  return root;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

type Case = [args: string[], message: string, env?: Record<string, string>];

/** Each is refused with exit 2 before anything runs: no database file is created, no file changes. */
const BAD: Case[] = [
  // run
  [["run", "p", "--wokers", "4"], "Unknown flag --wokers. Did you mean --workers?"],
  [["run", "p", "--full-refesh"], "Unknown flag --full-refesh. Did you mean --full-refresh?"],
  [["run", "p", "--no-valdation"], "Unknown flag --no-valdation. Did you mean --no-validation?"],
  [["run", "p", "-t"], "-t (--tag) needs a value"],
  [["run", "p", "--start-date"], "--start-date needs a value"],
  [["run", "p", "--tag="], "--tag needs a value"],
  [["run", "p", "extra"], "Unexpected argument 'extra'; usage: bruin run [path]"],
  [["run", "p", "--workers", "abc"], "--workers needs a number, got 'abc'"],
  [["run", "p", "--workers", "0"], "--workers must be a positive whole number, got '0'"],
  [["run", "p", "--start-date", "2024-13-01"], "invalid --start-date '2024-13-01'"],
  [["run", "p", "--output", "xml"], "unsupported output 'xml'; possible values: plain, json"],
  [["run", "p", "--full-refresh=yes"], "--full-refresh takes no value, got 'yes'"],
  [["run", "p", "--only", "everything"], "invalid --only 'everything'; possible values: main, checks"],
  [["run", "p", "--var", "factor=abc"], "the value given for variable 'factor' (--var or BRUIN_VARS) must be integer"],
  [
    ["run", "p"],
    "the value given for variable 'factor' (--var or BRUIN_VARS) must be integer",
    { BRUIN_VARS: '{"factor": [1]}' },
  ],
  [["run", "p", "--var", "novalue"], "--var #1 must be key=value or a JSON object"],
  [["run", "p"], "invalid BRUIN_START_DATE 'yesterday'", { BRUIN_START_DATE: "yesterday" }],
  [["run", "p"], "BRUIN_FULL_REFRESH must be true or false", { BRUIN_FULL_REFRESH: "maybe" }],
  [["run", "p", "--secrets-backend", "keepass"], 'unsupported secrets backend "keepass"'],
  [["run", "p"], 'BRUIN_SECRETS_BACKEND: unsupported secrets backend "keepass"', { BRUIN_SECRETS_BACKEND: "keepass" }],
  [["run", "p", "--secrets-backend", "env", "-e", "prod"], "--environment cannot be used with the env backend"],
  [
    ["run", "p", "--secrets-backend", "infisical", "--config-file", ".bruin.yml"],
    "--config-file is read by the file backend only",
  ],
  [["run", "p", "-e", "nope"], "environment 'nope' not found in the configuration file"],
  [["run", "p", "--config-file", "missing.yml"], "--config-file 'missing.yml': no such file"],
  [["run", "p"], "BRUIN_CONFIG_FILE 'missing.yml': no such file", { BRUIN_CONFIG_FILE: "missing.yml" }],
  [["rnu", "p"], "Unknown command 'rnu'. Did you mean 'run'?"],
  [["--workers", "2", "run", "p"], "Unknown flag --workers before the command"],
  // validate
  [["validate", "p", "--wokers", "4"], "Unknown flag --wokers."],
  [["validate", "p", "extra"], "Unexpected argument 'extra'; usage: bruin validate [path]"],
  [["validate", "p", "--end-date", "tomorrow"], "invalid --end-date 'tomorrow'"],
  [
    ["validate", "p", "--var", "factor=abc"],
    "the value given for variable 'factor' (--var or BRUIN_VARS) must be integer",
  ],
  [["validate", "p", "-e", "nope"], "environment 'nope' not found in the configuration file"],
  [["validate", "p", "--secrets-backend", "env", "--env", "prod"], "--environment cannot be used with the env backend"],
  // connections
  [["connections", "lst"], "Unknown command 'connections lst'. Did you mean 'connections list'?"],
  [["connections"], "Pass a subcommand: list or test"],
  [["connections", "list", "-o", "xml"], "unsupported output 'xml'; possible values: plain, json"],
  [["connections", "list", "extra"], "path 'extra' does not exist"],
  [["connections", "list", ".", "extra"], "Unexpected argument 'extra'; usage: bruin connections list [path]"],
  [["connections", "list", "--outptu", "json"], "Unknown flag --outptu. Did you mean --output?"],
  [["connections", "list", "-e", "nope"], "environment 'nope' not found in the configuration file"],
  [["connections", "test"], "pass the connection to test: bruin connections test <name>"],
  [
    ["connections", "test", "duckdb-default", "other"],
    "Unexpected argument 'other'; usage: bruin connections test <name>",
  ],
  [
    ["connections", "test", "duckdb-default", "-n", "other"],
    "name one connection to test, got 'duckdb-default' and 'other'",
  ],
  [["connections", "test", "duckdb-default", "-o"], "-o (--output) needs a value"],
  [
    ["connections", "test", "duckdb-default", "--secrets-backend", "env", "-e", "x"],
    "--environment cannot be used with the env backend",
  ],
  // query
  [
    ["query", "-c", "duckdb-default", "-q", "CREATE TABLE x AS SELECT 1", "-l", "0"],
    "--limit must be a positive whole number",
  ],
  [
    ["query", "-c", "duckdb-default", "-q", "CREATE TABLE x AS SELECT 1", "--limit", "ten"],
    "--limit needs a number, got 'ten'",
  ],
  [
    ["query", "-c", "duckdb-default", "-q", "CREATE TABLE x AS SELECT 1", "-o", "xml"],
    "unsupported output 'xml'; possible values: plain, json, csv",
  ],
  [["query", "-c", "duckdb-default", "-q"], "-q (--query) needs a value"],
  [["query", "-c", "duckdb-default"], "pass --connection and --query, or --asset"],
  [
    ["query", "-c", "duckdb-default", "-q", "CREATE TABLE x AS SELECT 1", "--qurey", "y"],
    "Unknown flag --qurey. Did you mean --query?",
  ],
  [
    ["query", "-c", "duckdb-default", "-q", "CREATE TABLE x AS SELECT 1", "--split-rows", "2"],
    "--split-rows needs --export FILE.csv",
  ],
  [
    ["query", "-c", "duckdb-default", "-q", "CREATE TABLE x AS SELECT 1", "--timeout", "0"],
    "--timeout must be a positive number of seconds",
  ],
  [["query", "--asset", "p/assets/t.sql", "--start-date", "soon"], "invalid --start-date 'soon'"],
  [
    ["query", "-c", "duckdb-default", "-q", "SELECT 1", "--export", "x.csv", "-o", "json"],
    "--export writes CSV files; it takes no -o",
  ],
  [
    ["query", "-c", "duckdb-default", "-q", "CREATE TABLE x AS SELECT 1", "extra"],
    "Unexpected argument 'extra'; usage: bruin query",
  ],
  // version, completion, help
  [["version", "-o", "xml"], "unsupported output 'xml'; possible values: plain, json"],
  [["version", "extra"], "Unexpected argument 'extra'; usage: bruin version"],
  [["completion", "tcsh"], "unsupported shell 'tcsh'; possible values: bash, zsh, fish"],
  [["completion"], "missing argument; usage: bruin completion <bash|zsh|fish>"],
  [["help", "nope"], "Unknown command 'nope'."],
];

describe("bad invocations: exit 2 before anything runs", () => {
  it.each(BAD)("bruin %j", (args, message, env) => {
    const root = fixture();
    const before = snapshot(root);
    const result = bruin(args, { cwd: root, ...(env ? { env } : {}) });
    // validate lists the problems it finds on stdout; every other refusal is on stderr.
    expect(result.stdout + result.stderr).toContain(message);
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain("Running:");
    // No connection was opened (DuckDB would have created its file) and nothing was written.
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
    expect(snapshot(root)).toEqual(before);
  });

  it("has at least 30 of them, across every command", () => {
    expect(BAD.length).toBeGreaterThanOrEqual(30);
    const commands = new Set(BAD.map(([args]) => args.find((arg) => !arg.startsWith("-"))));
    for (const command of ["run", "validate", "connections", "query", "version", "completion", "help"])
      expect(commands).toContain(command);
  });

  it("refuses connections list without any config file, as the other commands do", () => {
    const root = scratchRepo("bruin-args-");
    const result = bruin(["connections", "list"], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no .bruin.yml found");
    expect(result.stdout).toBe("");
  });

  it("splits --tag and --exclude-tag on commas, like --only", () => {
    const root = scratchRepo("bruin-args-");
    const table = (name: string, tags: string) =>
      sqlAsset(`name: ${name}\ntype: duckdb.sql\ntags: [${tags}]\nmaterialization: {type: table}`, "SELECT 1 AS n");
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: tags\n",
      "p/assets/a.sql": table("a", "x"),
      "p/assets/b.sql": table("b", "y"),
      "p/assets/c.sql": table("c", "z"),
    });
    const result = bruin(["run", "p", "--tag", "x,y", "--no-color"], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Running: {2}a/);
    expect(result.stdout).toMatch(/Running: {2}b/);
    expect(result.stdout).not.toMatch(/Running: {2}c/);
    // A path after a tag is the path, not another tag.
    const after = bruin(["run", "-x", "x,y", "p", "--no-color"], { cwd: root });
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/Running: {2}c/);
    expect(after.stdout).not.toMatch(/Running: {2}[ab]\b/);
  });
});

/** Runs the CLI with its stdout (and optionally stderr) closed by the reader after the first chunk, as `| head -1` does. */
async function closedEarly(
  args: string[],
  cwd: string,
  options: { closeStderr?: boolean; beforeOutput?: boolean } = {},
) {
  const { closeStderr = false, beforeOutput = false } = options;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  let stderr = "";
  let first = "";
  // Closed before the command printed anything: every write it makes meets a closed pipe.
  if (beforeOutput) child.stdout.destroy();
  else
    child.stdout.once("data", (chunk: Buffer) => {
      first = chunk.toString();
      child.stdout.destroy();
      if (closeStderr) child.stderr.destroy();
    });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stderr, first };
}

describe("a reader that goes away early (| head)", () => {
  function pipeline(failing = false): string {
    const root = scratchRepo("bruin-pipe-");
    const table = (name: string, depends: string[], query: string) =>
      sqlAsset(
        `name: ${name}\ntype: duckdb.sql\ndepends: [${depends.join(", ")}]\nmaterialization: {type: table}`,
        query,
      );
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: pipe\n",
      "p/assets/a.sql": table("a", [], "SELECT 1 AS n"),
      "p/assets/b.sql": table("b", ["a"], "SELECT n + 1 AS n FROM a"),
      "p/assets/c.sql": table("c", ["b"], failing ? "SELECT * FROM missing_table" : "SELECT n + 1 AS n FROM b"),
      "p/assets/d.sql": table("d", ["b"], "SELECT n * 10 AS n FROM b"),
    });
    return root;
  }

  it("lets the run finish and keep exit code 0, without a stack trace", async () => {
    const root = pipeline();
    const result = await closedEarly(["run", "p", "--no-color"], root);
    expect(result.first).toContain("Analyzed the pipeline 'pipe'");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The last assets ran after the reader was gone.
    expect(
      await readDuckDB(path.join(root, "db.duckdb"), "SELECT (SELECT n FROM c) AS c, (SELECT n FROM d) AS d"),
    ).toEqual([{ c: 3, d: 20 }]);
  });

  it("keeps a failed run's exit code 1 with stdout and stderr both closed", async () => {
    const root = pipeline(true);
    const result = await closedEarly(["run", "p", "--no-color"], root, { closeStderr: true });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT n FROM d")).toEqual([{ n: 20 }]);
  });

  it("ends query and connections list quietly", async () => {
    const root = pipeline();
    const query = await closedEarly(
      ["query", "-c", "duckdb-default", "-q", "SELECT * FROM range(200000)", "-o", "csv"],
      root,
    );
    expect(query.first).toMatch(/^range\n0\n/);
    expect(query.stderr).toBe("");
    expect(query.code).toBe(0);
    const list = await closedEarly(["connections", "list"], root, { beforeOutput: true });
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    const closedQuery = await closedEarly(["query", "-c", "duckdb-default", "-q", "SELECT 1 AS n"], root, {
      beforeOutput: true,
    });
    expect(closedQuery.stderr).toBe("");
    expect(closedQuery.code).toBe(0);
  });
});

describe("help, version and completion", () => {
  const cwd = REPO_ROOT;

  it("prints the help for no arguments, and 'help <command>' as '<command> --help'", () => {
    const none = bruin([], { cwd });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("Commands:");
    for (const command of ["run", "validate", "connections", "query", "version", "completion"])
      expect(none.stdout).toContain(`bruin ${command}`);
    const help = bruin(["help", "run"], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--workers");
    expect(help.stdout).toBe(bruin(["run", "--help"], { cwd }).stdout);
    const nested = bruin(["help", "connections", "test"], { cwd });
    expect(nested.stdout).toBe(bruin(["connections", "test", "--help"], { cwd }).stdout);
  });

  it("prints the version with 'version' and '--version', and Node.js and the platform with -o json", () => {
    const flag = bruin(["--version"], { cwd });
    const command = bruin(["version"], { cwd });
    expect(flag.code).toBe(0);
    expect(command.code).toBe(0);
    expect(flag.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(command.stdout).toBe(flag.stdout);
    const json = bruin(["version", "-o", "json"], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      version: flag.stdout.trim(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    });
  });

  it("prints completion scripts for bash, zsh and fish that ask bruin for the words", () => {
    const bash = bruin(["completion", "bash"], { cwd });
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain("complete -o bashdefault -o default -F _bruin_yargs_completions bruin");
    const zsh = bruin(["completion", "zsh"], { cwd });
    expect(zsh.stdout).toMatch(/^#compdef bruin\n/);
    expect(zsh.stdout).toContain("compdef _bruin_yargs_completions bruin");
    const fish = bruin(["completion", "fish"], { cwd });
    expect(fish.stdout).toContain("complete -c bruin -f -a '(bruin --get-yargs-completions");
    for (const script of [bash, zsh, fish]) expect(script.stdout).toContain("bruin --get-yargs-completions");
  });

  it("completes commands, subcommands and flags, and runs nothing while completing", () => {
    const root = fixture();
    expect(bruin(["--get-yargs-completions", ""], { cwd: root }).stdout.split("\n")).toEqual(
      expect.arrayContaining(["run", "validate", "connections", "query"]),
    );
    expect(bruin(["--get-yargs-completions", "connections", ""], { cwd: root }).stdout.split("\n")).toEqual(
      expect.arrayContaining(["list", "test"]),
    );
    const flags = bruin(["--get-yargs-completions", "run", "p", "--"], { cwd: root });
    expect(flags.code).toBe(0);
    expect(flags.stdout.split("\n")).toEqual(expect.arrayContaining(["--workers", "--full-refresh", "--tag"]));
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
  });

  it("completes in bash through the installed script", () => {
    const bashAvailable = spawnSync("bash", ["-c", "true"]).status === 0;
    expect(bashAvailable).toBe(true);
    const bin = scratchRepo("bruin-bin-");
    mkdirSync(path.join(bin, "bin"));
    const shim = path.join(bin, "bin", "bruin");
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(shim, 0o755);
    const script =
      'source <(bruin completion bash); COMP_WORDS=(bruin run --wo); COMP_CWORD=2; _bruin_yargs_completions; printf "%s\\n" "${COMPREPLY[@]}"';
    const result = spawnSync("bash", ["-c", script], {
      encoding: "utf8",
      env: { PATH: `${path.join(bin, "bin")}:${process.env.PATH}` },
    });
    expect(result.stdout.trim()).toBe("--workers");
  });
});
