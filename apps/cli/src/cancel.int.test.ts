import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { REPO_ROOT, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";
import { connectServer, serversConfig } from "./test-support/servers.js";

// The built CLI in a child process, as a user runs it: `pnpm build` first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

/** A unique text in the slow query, to find it among the server's sessions. */
const marker = (engine: string) => `bruin_cancel_${engine}_${process.pid}_${Date.now()}`;

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When the second SIGINT was sent (ms, performance.now()). */
  secondSignalAt: number;
  /** When the process was gone. */
  exitedAt: number;
}

/**
 * Runs a one-asset pipeline whose query sleeps on the server; once the asset
 * is running, sends SIGINT, then a second SIGINT `whileRunning` confirms the
 * query is on the server.
 */
async function interruptTwice(type: string, query: string, whileRunning: () => Promise<boolean>): Promise<Interrupted> {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": serversConfig(""),
    "p/pipeline.yml": "name: cancel\n",
    "p/assets/slow.sql": sqlAsset(`name: slow\ntype: ${type}`, query),
  });
  const child = spawn(process.execPath, [BIN, "run", path.join(root, "p"), "--no-color"], {
    env: { PATH: process.env.PATH },
  });
  let stdout = "";
  let stderr = "";
  let secondSignalAt = 0;
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (/Running: {2}slow/.test(stdout)) resolve();
    });
    void exited.then(() => reject(new Error(`the run ended before the asset started:\n${stdout}\n${stderr}`)));
  });
  // The query must be on the server before the signals, or there is nothing to cancel.
  for (let i = 0; i < 50 && !(await whileRunning()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await whileRunning()).toBe(true);
  child.kill("SIGINT");
  await new Promise((r) => setTimeout(r, 200));
  secondSignalAt = performance.now();
  child.kill("SIGINT");
  const code = await exited;
  return { code, stdout, stderr, secondSignalAt, exitedAt: performance.now() };
}

/** Polls `stillRunning` until it answers false; returns when (ms, performance.now()), or undefined after `withinMs`. */
async function goneAt(stillRunning: () => Promise<boolean>, withinMs: number): Promise<number | undefined> {
  const until = performance.now() + withinMs;
  while (performance.now() < until) {
    if (!(await stillRunning())) return performance.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

describe("a second Ctrl-C cancels the running query on its server", () => {
  let pg: ConnectionAdapter;
  let my: ConnectionAdapter;
  beforeAll(async () => {
    pg = await connectServer("postgres", "cancel-observer-pg");
    my = await connectServer("mysql", "cancel-observer-my");
  });
  afterAll(async () => {
    await pg?.close();
    await my?.close();
  });

  it("PostgreSQL: pg_stat_activity shows the query gone within 2 s, and the CLI exits 130", async () => {
    const tag = marker("pg");
    const running = async () =>
      (
        await pg.query(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${tag}%' AND pid <> pg_backend_pid()`,
        )
      ).rows[0]!.n !== 0;
    const result = await interruptTwice("pg.sql", `SELECT pg_sleep(15) AS ${tag}`, running);
    const gone = await goneAt(running, 3000);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("Stopping now: cancelling the running queries");
    expect(gone).toBeDefined();
    expect(gone! - result.secondSignalAt).toBeLessThan(2000);
    expect(result.exitedAt - result.secondSignalAt).toBeLessThan(2500);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("MariaDB: SHOW PROCESSLIST shows the query gone within 2 s, and the CLI exits 130", async () => {
    const tag = marker("my");
    const running = async () =>
      (await my.query("SHOW FULL PROCESSLIST")).rows.some(
        (row) => String(row.Info ?? row.INFO ?? "").includes(tag) && !String(row.Info ?? "").includes("PROCESSLIST"),
      );
    const result = await interruptTwice("my.sql", `SELECT SLEEP(15) AS ${tag}`, running);
    const gone = await goneAt(running, 3000);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("Stopping now: cancelling the running queries");
    expect(gone).toBeDefined();
    expect(gone! - result.secondSignalAt).toBeLessThan(2000);
    expect(result.exitedAt - result.secondSignalAt).toBeLessThan(2500);
  });
});
