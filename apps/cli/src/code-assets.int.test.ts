import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Row } from "@bruin-ts/connections";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, readDuckDB, scratchRepo, writeTree } from "./test-support/run-cli.js";
import { connectServer, serversConfig } from "./test-support/servers.js";

// Runs the built CLI as users do: `pnpm build` first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");
const ROWS = 1_000_000;
/** The V8 heap the CLI gets: 1,000,000 rows held in memory would not fit in it. */
const HEAP_MB = 64;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

/** The peak resident memory of a running process so far (Linux's VmHWM), in KiB. */
function peakRssKb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** PostgreSQL's table, in a schema of its own, dropped afterwards. */
const PG_TABLE = `bruin_million_${randomBytes(4).toString("hex")}.big`;

const TARGETS: Array<{
  name: string;
  connection: string;
  table: string;
  config: string;
  /** count(*) and sum(id) of the loaded table; then removes it. */
  read: (root: string, sql: string) => Promise<Row[]>;
  /** Watches the server while the run goes on; what it saw, once the run is over. */
  watch?: () => Promise<() => Promise<string[]>>;
}> = [
  {
    name: "DuckDB (read_json)",
    connection: "duckdb-default",
    table: "big",
    config:
      "environments:\n  default:\n    connections:\n      duckdb:\n        - name: duckdb-default\n          path: db.duckdb\n",
    read: (root, sql) => readDuckDB(path.join(root, "db.duckdb"), sql),
  },
  {
    name: "PostgreSQL (COPY)",
    connection: "postgres-default",
    table: PG_TABLE,
    config: serversConfig("trust-auth-ignores-it"),
    read: async (_root, sql) => {
      const pg = await connectServer("postgres");
      try {
        return (await pg.query(sql)).rows;
      } finally {
        await pg.exec(`DROP SCHEMA IF EXISTS ${PG_TABLE.split(".")[0]} CASCADE`);
        await pg.close();
      }
    },
    // The statements loading the staging table, as pg_stat_activity shows them while they run.
    watch: async () => {
      const pg = await connectServer("postgres");
      const seen = new Set<string>();
      let polling = Promise.resolve();
      const timer = setInterval(() => {
        polling = polling.then(async () => {
          const { rows } = await pg.query(
            "SELECT left(query, 200) AS q FROM pg_stat_activity WHERE query LIKE '%__bruin_rows_%' AND pid <> pg_backend_pid()",
          );
          for (const row of rows)
            seen.add(
              String(row.q)
                .split(" (")[0]!
                .replace(/__bruin_rows_\w+/, "__bruin_rows_*"),
            );
        });
      }, 100);
      return async () => {
        clearInterval(timer);
        await polling;
        await pg.close();
        return [...seen];
      };
    },
  },
];

describe.each(TARGETS)("bruin run with a Python generator of 1,000,000 rows into $name", (target) => {
  it(`loads them with a ${HEAP_MB} MiB heap, its peak memory measured`, { timeout: 300_000 }, async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": target.config,
      "p/pipeline.yml": "name: million\n",
      "p/assets/big.py": [
        '"""@bruin',
        `name: ${target.table}`,
        `connection: ${target.connection}`,
        "materialization: {type: table}",
        '@bruin"""',
        "import resource, sys",
        "def materialize():",
        `    for i in range(${ROWS}):`,
        '        yield {"id": i, "name": "row %d" % i, "value": i * 0.5}',
        '    print("python peak kB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)',
        "",
      ].join("\n"),
    });
    const stopWatching = await target.watch?.();
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, BIN, "run", path.join(root, "p"), "--no-color"],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let cliPeakKb = 0;
    const sampler = setInterval(() => (cliPeakKb = Math.max(cliPeakKb, peakRssKb(child.pid!) ?? 0)), 20);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    clearInterval(sampler);
    const seen = (await stopWatching?.()) ?? [];
    const seconds = (performance.now() - started) / 1000;
    expect(code, output).toBe(0);
    const pythonPeakKb = Number(/python peak kB (\d+)/.exec(output)?.[1]);
    const [row] = await target.read(root, `SELECT count(*) AS n, sum(id) AS s FROM ${target.table}`);
    expect(Number(row!.n)).toBe(ROWS);
    expect(Number(row!.s)).toBe((ROWS * (ROWS - 1)) / 2);
    console.log(
      `${target.name}: 1,000,000 rows through bruin run in ${seconds.toFixed(1)} s; peak RSS: CLI ${Math.round(cliPeakKb / 1024)} MiB ` +
        `(heap limit ${HEAP_MB} MiB), Python ${Math.round(pythonPeakKb / 1024)} MiB`,
    );
    if (target.watch) {
      // The rows reached the staging table through COPY, never INSERTs.
      const staging = `"${PG_TABLE.split(".")[0]}"."__bruin_rows_*"`;
      expect(seen).toContain(`COPY ${staging}`);
      expect(seen.filter((q) => q.startsWith(`INSERT INTO ${staging}`))).toEqual([]);
    }
    // Held as a list, the rows alone take over 200 MiB in Python.
    expect(pythonPeakKb).toBeGreaterThan(0);
    expect(pythonPeakKb).toBeLessThan(64 * 1024);
    expect(cliPeakKb).toBeGreaterThan(0);
    expect(cliPeakKb).toBeLessThan(512 * 1024);
  });
});
