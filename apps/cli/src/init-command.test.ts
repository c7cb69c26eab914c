import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDuckDB, runBruin, scratchRepo } from "./test-support/run-cli.js";

/** A fresh folder outside any repository. */
function bareFolder(): string {
  return mkdtempSync(path.join(tmpdir(), "bruin-init-"));
}

describe("bruin init", () => {
  it.each([
    ["default", "bruin-pipeline", "mart.daily_revenue", 2],
    ["duckdb", "duckdb", "people.by_city", 2],
    ["python", "python", "report.square_sum", 1],
  ])(
    "%s: creates a pipeline that passes validate, format --fail-if-changed and run on DuckDB",
    async (template, folder, table, rows) => {
      const cwd = bareFolder();
      const init = await runBruin(["init", template], { cwd });
      expect(init.stderr).toBe("");
      expect(init.code).toBe(0);
      // Outside a repository: a bruin/ project folder, a repository in it, .bruin.yml at its root.
      const root = path.join(cwd, "bruin");
      expect(existsSync(path.join(root, ".git"))).toBe(true);
      expect(existsSync(path.join(root, folder, "pipeline.yml"))).toBe(true);
      expect(readFileSync(path.join(root, ".bruin.yml"), "utf8")).toContain("name: duckdb-default");
      expect(readFileSync(path.join(root, ".gitignore"), "utf8")).toContain(".bruin.yml");
      expect(init.stdout).toContain(`Pipeline: ${path.join(root, folder)}`);

      const validate = await runBruin(["validate", folder], { cwd: root });
      expect(validate.stdout).toContain("all good");
      expect(validate.code).toBe(0);
      const format = await runBruin(["format", "--fail-if-changed", folder], { cwd: root });
      expect(format.code).toBe(0);
      const run = await runBruin(["run", folder], { cwd: root });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("bruin run completed successfully");
      const result = await readDuckDB(path.join(root, "duckdb.db"), `SELECT count(*)::INTEGER AS n FROM ${table}`);
      expect(result).toEqual([{ n: rows }]);
    },
    60_000,
  );

  it("in a repository: the pipeline in the working directory, .bruin.yml at the root, no new repository", async () => {
    const repo = scratchRepo();
    const nested = path.join(repo, "deep", "er");
    mkdirSync(nested, { recursive: true });
    const init = await runBruin(["init", "duckdb", "mine"], { cwd: nested });
    expect(init.code).toBe(0);
    expect(existsSync(path.join(nested, "mine", "assets", "people", "roster.sql"))).toBe(true);
    expect(existsSync(path.join(repo, ".bruin.yml"))).toBe(true);
    expect(existsSync(path.join(nested, ".git"))).toBe(false);
    expect(existsSync(path.join(repo, ".gitignore"))).toBe(false);
    expect(readFileSync(path.join(nested, "mine", "pipeline.yml"), "utf8")).toContain("name: mine");
    const run = await runBruin(["run", "mine"], { cwd: nested });
    expect(run.code).toBe(0);
  });

  it("--in-place: outside a repository, the working directory is the project", async () => {
    const cwd = bareFolder();
    const init = await runBruin(["init", "default", "shop", "--in-place"], { cwd });
    expect(init.code).toBe(0);
    expect(existsSync(path.join(cwd, ".git"))).toBe(true);
    expect(existsSync(path.join(cwd, ".bruin.yml"))).toBe(true);
    expect(existsSync(path.join(cwd, "shop", "pipeline.yml"))).toBe(true);
    expect(existsSync(path.join(cwd, "bruin"))).toBe(false);
  });

  it("merges into an existing .bruin.yml: adds the connection, never replaces one, keeps comments; no secret printed", async () => {
    const secret = "init-s3cr3t-password";
    const existing = [
      "# the team's connections",
      "environments:",
      "  default:",
      "    connections:",
      "      postgres:",
      "        - name: warehouse",
      "          host: 127.0.0.1",
      "          username: someone",
      `          password: ${secret}`,
      "          database: test",
      "",
    ].join("\n");
    const repo = scratchRepo();
    writeFileSync(path.join(repo, ".bruin.yml"), existing);
    const first = await runBruin(["init", "default"], { cwd: repo });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("added the 'duckdb-default' connection");
    const merged = readFileSync(path.join(repo, ".bruin.yml"), "utf8");
    expect(merged.startsWith(existing.trimEnd())).toBe(true);
    expect(merged).toContain("      duckdb:\n        - name: duckdb-default\n          path: duckdb.db\n");

    // A connection of that name already there is left as it is.
    const custom = existing.replace(
      "      postgres:",
      "      duckdb:\n        - name: duckdb-default\n          path: mine.db\n      postgres:",
    );
    writeFileSync(path.join(repo, ".bruin.yml"), custom);
    const second = await runBruin(["init", "python"], { cwd: repo });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("left unchanged");
    expect(readFileSync(path.join(repo, ".bruin.yml"), "utf8")).toBe(custom);
    expect(first.all + second.all).not.toContain(secret);
  });

  it("without a template and a terminal, lists the templates and exits 2", async () => {
    const cwd = bareFolder();
    const result = await runBruin(["init"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("name a template");
    for (const name of ["default", "duckdb", "python"]) expect(result.stderr).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(existsSync(path.join(cwd, "bruin"))).toBe(false);
    const unknown = await runBruin(["init", "snowflake"], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown template 'snowflake'");
  });

  it("refuses a folder that exists or leaves the working directory, and a broken .bruin.yml, writing nothing", async () => {
    const repo = scratchRepo();
    mkdirSync(path.join(repo, "taken"));
    const taken = await runBruin(["init", "default", "taken"], { cwd: repo });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("'taken' already exists");
    const outside = await runBruin(["init", "default", "../elsewhere"], { cwd: repo });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("must be a new folder below the current one");
    writeFileSync(path.join(repo, ".bruin.yml"), "environments: [oops\n");
    const broken = await runBruin(["init", "default", "fresh"], { cwd: repo });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("is not valid YAML");
    expect(existsSync(path.join(repo, "fresh"))).toBe(false);
    expect(readFileSync(path.join(repo, ".bruin.yml"), "utf8")).toBe("environments: [oops\n");
  });
});
