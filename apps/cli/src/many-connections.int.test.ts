import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, scratchRepo, writeTree } from "./test-support/run-cli.js";

// The built CLI in a child process, where Node prints its warnings to stderr.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

describe("many connections at once", () => {
  it("connections list and validate over 30 connections print no listener warning", () => {
    const root = scratchRepo();
    const names = Array.from({ length: 30 }, (_, i) => `db${i}`);
    const config = [
      "environments:",
      "  default:",
      "    connections:",
      "      duckdb:",
      ...names.flatMap((n) => [`        - name: ${n}`, `          path: ${n}.duckdb`]),
    ];
    const assets = Object.fromEntries(
      names.map((n) => [
        `p/assets/${n}.sql`,
        `/* @bruin\nname: ${n}\ntype: duckdb.sql\nconnection: ${n}\n@bruin */\nSELECT 1\n`,
      ]),
    );
    writeTree(root, { ".bruin.yml": `${config.join("\n")}\n`, "p/pipeline.yml": "name: many\n", ...assets });
    for (const args of [
      ["connections", "list"],
      ["validate", "p"],
    ]) {
      const result = spawnSync(process.execPath, [BIN, ...args], {
        cwd: root,
        encoding: "utf8",
        env: { PATH: process.env.PATH },
      });
      expect(result.status).toBe(0);
      expect(result.stderr).not.toMatch(/MaxListenersExceededWarning|memory leak/);
    }
  });
});
