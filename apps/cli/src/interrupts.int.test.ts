import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, REPO_ROOT, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

// These signal the built CLI as users do: `pnpm build` first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

/** A pipeline of `slow` (the given query) and `after`, downstream of it. */
function pipeline(slowQuery: string): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": "name: signals\n",
    "p/assets/slow.sql": sqlAsset("name: slow\ntype: duckdb.sql\nmaterialization: {type: table}", slowQuery),
    "p/assets/after.sql": sqlAsset(
      "name: after\ntype: duckdb.sql\ndepends: [slow]\nmaterialization: {type: table}",
      "SELECT 1 AS n",
    ),
  });
  return path.join(root, "p");
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When each signal was sent and when the process ended (performance.now()). */
  sent: number[];
  ended: number;
}

/**
 * Runs `bruin run dir` and sends `signals` in turn: the first once `slow` is
 * running, each next one once stderr shows `waitFor` for it. The process is
 * killed if it outlives `limitMs`, so a test never leaves it behind.
 */
function runAndSignal(dir: string, signals: NodeJS.Signals[], waitFor: RegExp[], limitMs: number): Promise<Exit> {
  const child = spawn(process.execPath, [BIN, "run", dir, "--no-color"], { env: { PATH: process.env.PATH } });
  let stdout = "";
  let stderr = "";
  const sent: number[] = [];
  const next = () => {
    const i = sent.length;
    if (i >= signals.length) return;
    const ready = i === 0 ? /Running: {2}slow/.test(stdout) : waitFor[i - 1]!.test(stderr);
    if (!ready) return;
    sent.push(performance.now());
    child.kill(signals[i]);
  };
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    next();
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    next();
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), limitMs);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, sent, ended: performance.now() });
    }),
  );
}

describe("interrupting the built CLI", () => {
  it("SIGTERM lets the running task finish, skips the rest and exits 130", async () => {
    const dir = pipeline("SELECT sum(a.range * b.range) AS n FROM range(20000) a, range(20000) b");
    const result = await runAndSignal(dir, ["SIGTERM"], [], 60_000);
    expect(result.sent, result.stdout + result.stderr).toHaveLength(1);
    expect(result.stderr).toContain("Interrupted: waiting for the running tasks to finish");
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/^SKIPPED after$/m);
    expect(result.stdout).not.toContain("Running:  after");
  });

  it("a second Ctrl-C stops at once, without waiting for the running query", async () => {
    // Minutes of work: only stopping it can end the run in time.
    const dir = pipeline("SELECT sum(a.range * b.range) AS n FROM range(200000) a, range(200000) b");
    const result = await runAndSignal(dir, ["SIGINT", "SIGINT"], [/Interrupted: waiting/], 30_000);
    expect(result.sent, result.stdout + result.stderr).toHaveLength(2);
    expect(result.stderr).toContain("Stopping now: cancelling the running queries");
    expect(result.code).toBe(130);
    // bin.ts waits at most 2 s for the servers to cancel; allow for a loaded machine.
    expect(result.ended - result.sent[1]!).toBeLessThan(2_500);
    expect(result.stdout).not.toContain("Running:  after");
  });
});
