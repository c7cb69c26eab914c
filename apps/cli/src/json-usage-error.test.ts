import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

function pipeline(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": "name: json-usage\n",
    "p/assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS x"),
  });
  return root;
}

describe("run -o json with a usage error", () => {
  it.each([
    [["--wokers", "4", "-o", "json"], /Unknown flag --wokers\. Did you mean --workers\?/],
    [["--workers", "abc", "--output=json"], /--workers/],
    [["-o", "json", "-t"], /-t \(--tag\) needs a value/],
  ])("%j prints one JSON error document with totals on stdout, exit 2, and runs nothing", async (args, message) => {
    const root = pipeline();
    const result = await runBruin(["run", path.join(root, "p"), ...args]);
    expect(result.code).toBe(2);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({ status: "error", exit_code: 2, tasks: [], totals: expect.any(Object) });
    const errors = document.errors as string[];
    expect(errors.some((line) => message.test(line))).toBe(true);
    expect(errors.every((line) => !line.startsWith("Error: "))).toBe(true);
    expect(result.stderr).toMatch(message);
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
  });

  it("plain output keeps the message on stderr only", async () => {
    const root = pipeline();
    const result = await runBruin(["run", path.join(root, "p"), "--wokers", "4"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Unknown flag --wokers. Did you mean --workers?");
  });
});
