import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { duckdbSecret, emulatorWith, infisicalEnv, infisicalPipeline } from "./test-support/infisical.js";
import { DUCKDB_CONFIG, REPO_ROOT, copyQuickstart, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

// These run the built CLI as users do: `pnpm build` first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

function bruin(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

describe("the built bruin command", () => {
  it("prints its version", () => {
    const result = bruin(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("runs the quick start", () => {
    const result = bruin(["run", copyQuickstart(), "--no-color"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("bruin run completed successfully");
  });

  it("stops after the running task on Ctrl-C, with exit code 130", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: sigint\n",
      // Long enough to be running when the signal arrives.
      "p/assets/slow.sql": sqlAsset(
        "name: slow\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT sum(a.range * b.range) AS n FROM range(20000) a, range(20000) b",
      ),
      "p/assets/after.sql": sqlAsset(
        "name: after\ntype: duckdb.sql\ndepends: [slow]\nmaterialization: {type: table}",
        "SELECT 1 AS n",
      ),
    });
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [BIN, "run", path.join(root, "p"), "--no-color"], {
      env: { PATH: process.env.PATH },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (/Running: {2}slow/.test(stdout) && !child.killed) child.kill("SIGINT");
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(stderr).toContain("Interrupted: waiting for the running tasks to finish");
    expect(code).toBe(130);
    expect(stdout).toMatch(/^SKIPPED after$/m);
    expect(stdout).not.toContain("Running:  after");
  });

  describe("with Infisical", () => {
    let emulator: Emulator;
    afterAll(async () => emulator?.stop());

    it("runs with a clean stderr: no warning from the SDK's dependencies", async () => {
      const pipeline = infisicalPipeline(["duckdb-default"]);
      emulator = await emulatorWith({ "duckdb-default": duckdbSecret(pipeline.dbFile("main")) });
      const env = infisicalEnv(emulator);
      // spawnSync would block the emulator living in this process: run it asynchronously.
      const { spawn } = await import("node:child_process");
      const child = spawn(process.execPath, [BIN, "run", pipeline.dir], { env: { PATH: process.env.PATH, ...env } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toContain("bruin run completed successfully");
    });
  });
});
