import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDuckDB, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

/** A `.bruin.yml` with two environments whose `duckdb-default` are different files. */
function twoEnvironments(prefix: string): string {
  return [
    "default_environment: dev",
    "environments:",
    "  dev:",
    "    connections:",
    "      duckdb:",
    "        - name: duckdb-default",
    `          path: ${prefix}-dev.duckdb`,
    "  staging:",
    "    connections:",
    "      duckdb:",
    "        - name: duckdb-default",
    `          path: ${prefix}-staging.duckdb`,
  ].join("\n");
}

/** A one-asset pipeline in `p/`, and nothing else: no `.bruin.yml` anywhere it would be found. */
function onePipeline(): string {
  const root = scratchRepo("bruin-config-");
  writeTree(root, {
    "p/pipeline.yml": "name: where\n",
    "p/assets/t.sql": sqlAsset("name: t\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 42 AS answer"),
  });
  return root;
}

async function answerIn(file: string): Promise<unknown> {
  return (await readDuckDB(file, "SELECT answer FROM t"))[0]?.answer;
}

describe("which config file and environment a run uses", () => {
  it("--config-file and BRUIN_CONFIG_FILE name a file the walk up would not find; the flag wins", async () => {
    const root = onePipeline();
    writeTree(root, { "ci/flag.yml": twoEnvironments("flag"), "ci/env.yml": twoEnvironments("env") });
    const p = path.join(root, "p");

    const noConfig = await runBruin(["run", p]);
    expect(noConfig.code).not.toBe(0);

    const byFlag = await runBruin(["run", p, "--config-file", path.join(root, "ci", "flag.yml")]);
    expect(byFlag.stderr).toBe("");
    expect(byFlag.code).toBe(0);
    // Relative database paths are relative to the config file's folder.
    expect(await answerIn(path.join(root, "ci", "flag-dev.duckdb"))).toBe(42);

    const byEnv = await runBruin(["run", p], { env: { BRUIN_CONFIG_FILE: path.join(root, "ci", "env.yml") } });
    expect(byEnv.code).toBe(0);
    expect(await answerIn(path.join(root, "ci", "env-dev.duckdb"))).toBe(42);

    const both = await runBruin(
      ["run", p, "--config-file", path.join(root, "ci", "flag.yml"), "--environment", "staging"],
      {
        env: { BRUIN_CONFIG_FILE: path.join(root, "ci", "env.yml") },
      },
    );
    expect(both.code).toBe(0);
    expect(await answerIn(path.join(root, "ci", "flag-staging.duckdb"))).toBe(42);
    expect(await readDuckDB(path.join(root, "ci", "env-dev.duckdb"), "SELECT count(*)::INTEGER AS n FROM t")).toEqual([
      { n: 1 },
    ]);
  });

  it("a relative --config-file is taken from the working directory", async () => {
    const root = onePipeline();
    writeTree(root, { "ci/rel.yml": twoEnvironments("rel") });
    const result = await runBruin(["run", "p", "--config-file", "ci/rel.yml"], { cwd: root });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await answerIn(path.join(root, "ci", "rel-dev.duckdb"))).toBe(42);
  });

  for (const [label, args, env] of [
    ["-e", ["-e", "staging"], {}],
    ["--environment", ["--environment", "staging"], {}],
    ["--env", ["--env", "staging"], {}],
    ["BRUIN_ENVIRONMENT", [], { BRUIN_ENVIRONMENT: "staging" }],
    ["-e over BRUIN_ENVIRONMENT", ["-e", "staging"], { BRUIN_ENVIRONMENT: "dev" }],
  ] as const) {
    it(`${label} selects the environment; without it the default_environment is used`, async () => {
      const root = onePipeline();
      writeTree(root, { ".bruin.yml": twoEnvironments("db") });
      const p = path.join(root, "p");
      const result = await runBruin(["run", p, ...args], { env });
      expect(result.code).toBe(0);
      expect(await answerIn(path.join(root, "db-staging.duckdb"))).toBe(42);

      const other = onePipeline();
      writeTree(other, { ".bruin.yml": twoEnvironments("db") });
      expect((await runBruin(["run", path.join(other, "p")])).code).toBe(0);
      expect(await answerIn(path.join(other, "db-dev.duckdb"))).toBe(42);
    });
  }
});

describe("--workers", () => {
  /** A diamond and a chain: 1 source, 6 branches reading it, 1 asset joining them, 2 incremental appends downstream. */
  function graph(): string {
    const root = scratchRepo("bruin-workers-");
    const files: Record<string, string> = {
      ".bruin.yml":
        "environments:\n  default:\n    connections:\n      duckdb:\n        - name: duckdb-default\n          path: w.duckdb\n",
      "p/pipeline.yml": "name: workers\n",
      "p/assets/src.sql": sqlAsset(
        "name: src\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT range AS n FROM range(100)",
      ),
    };
    const branches = Array.from({ length: 6 }, (_, i) => `b${i}`);
    for (const [i, b] of branches.entries()) {
      files[`p/assets/${b}.sql`] = sqlAsset(
        `name: ${b}\ntype: duckdb.sql\ndepends: [src]\nmaterialization: {type: table}`,
        `SELECT ${i} AS branch, sum(n * ${i + 1})::BIGINT AS total FROM src`,
      );
    }
    files["p/assets/joined.sql"] = sqlAsset(
      `name: joined\ntype: duckdb.sql\ndepends: [${branches.join(", ")}]\nmaterialization: {type: table}`,
      branches.map((b) => `SELECT * FROM ${b}`).join(" UNION ALL "),
    );
    files["p/assets/log.sql"] = sqlAsset(
      "name: log\ntype: duckdb.sql\ndepends: [joined]\nmaterialization: {type: table, strategy: append}",
      "SELECT count(*)::INTEGER AS branches, sum(total)::BIGINT AS grand FROM joined",
    );
    writeTree(root, files);
    return root;
  }

  async function runWith(workers: number) {
    const root = graph();
    const first = await runBruin(["run", path.join(root, "p"), "--workers", String(workers), "-o", "json"]);
    const second = await runBruin(["run", path.join(root, "p"), "--workers", String(workers), "-o", "json"]);
    const file = path.join(root, "w.duckdb");
    return {
      codes: [first.code, second.code],
      statuses: (JSON.parse(second.stdout) as { tasks: { name?: string; asset?: string; status: string }[] }).tasks
        .map((t) => `${t.name ?? t.asset}:${t.status}`)
        .sort(),
      joined: await readDuckDB(file, "SELECT branch, total FROM joined ORDER BY branch"),
      log: await readDuckDB(file, "SELECT branches, grand FROM log ORDER BY grand"),
    };
  }

  it("--workers 1 and --workers 8 give the same tables and statuses", async () => {
    const one = await runWith(1);
    const eight = await runWith(8);
    expect(one.codes).toEqual([0, 0]);
    expect(eight).toEqual(one);
    // The rows are right, not merely equal: sum(0..99) = 4950 times 1..6.
    expect(one.joined).toEqual(Array.from({ length: 6 }, (_, i) => ({ branch: i, total: 4950 * (i + 1) })));
    expect(one.log).toEqual([
      { branches: 6, grand: 4950 * 21 },
      { branches: 6, grand: 4950 * 21 },
    ]);
    expect(one.statuses).toHaveLength(9);
  });

  it("rejects a --workers that is not a positive whole number with exit code 2", async () => {
    const root = graph();
    for (const value of ["0", "-1", "abc", "1.5"]) {
      const result = await runBruin(["run", path.join(root, "p"), "--workers", value]);
      expect(result.code, value).toBe(2);
      expect(result.stderr, value).toContain("workers");
    }
  });
});
