import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, REPO_ROOT, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

// These run the built CLI: `pnpm build` (or `cd apps/cli && npx tsup`) first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

function bruin(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

const POLICY = `custom_rules:
  - name: orders-are-tagged
    description: mart assets must be tagged
    criteria: not (asset.Name startsWith 'mart.') or len(asset.Tags) > 0
rulesets:
  - name: std
    rules:
      - asset-has-owner
      - orders-are-tagged
      - pipeline-has-start-date
`;

/** A repository with a policy at its root and a DuckDB pipeline whose `mart.orders` breaks two rules. */
function project(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "policy.yml": POLICY,
    "shop/pipeline.yml": "name: shop\nstart_date: '2024-01-01'\n",
    "shop/assets/raw.items.sql": sqlAsset(
      "name: raw.items\ntype: duckdb.sql\nowner: ana\nmaterialization:\n  type: table",
      "SELECT 1 AS id",
    ),
    "shop/assets/mart.orders.sql": sqlAsset(
      "name: mart.orders\ntype: duckdb.sql\nmaterialization:\n  type: table\ndepends:\n  - raw.items",
      "SELECT id FROM raw.items",
    ),
  });
  return root;
}

describe("policies, from the built CLI", () => {
  it("validate lists each asset's violation with its rule and exits 1", () => {
    const root = project();
    const result = bruin(["validate", "shop"], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("asset 'mart.orders': Asset must have an owner (policy:std:asset-has-owner)");
    expect(result.stdout).toContain("asset 'mart.orders': mart assets must be tagged (policy:std:orders-are-tagged)");
    expect(result.stdout).not.toContain("raw.items");
  });

  it("validate -o json lists the violations by asset in the reference's shape", () => {
    const root = project();
    const result = bruin(["validate", "-o", "json", "shop"], root);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        pipeline: "shop",
        issues: {
          "mart.orders": [
            { asset: "mart.orders", description: "Asset must have an owner", context: [], severity: "critical" },
            { asset: "mart.orders", description: "mart assets must be tagged", context: [], severity: "critical" },
          ],
        },
      },
    ]);
  });

  it("run stops before any asset runs, naming the violations; a compliant pipeline runs", () => {
    const root = project();
    const failed = bruin(["run", "shop"], root);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain("Asset must have an owner (policy:std:asset-has-owner)");
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);

    writeTree(root, {
      "shop/assets/mart.orders.sql": sqlAsset(
        "name: mart.orders\ntype: duckdb.sql\nowner: ana\ntags: [daily]\nmaterialization:\n  type: table\ndepends:\n  - raw.items",
        "SELECT id FROM raw.items",
      ),
    });
    expect(bruin(["validate", "shop"], root).code).toBe(0);
    const ran = bruin(["run", "shop"], root);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
  });

  it("a pipeline rule fails validate of the pipeline; a policy file that names an unknown rule is an error", () => {
    const root = project();
    writeTree(root, {
      "shop/pipeline.yml": "name: shop\n",
      "shop/policy.yml": "rulesets:\n  - name: s\n    rules: [pipeline-has-start-date]\n",
    });
    const result = bruin(["validate", "shop"], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "pipeline 'shop': Pipeline must have a start date (policy:s:pipeline-has-start-date)",
    );
    writeTree(root, { "shop/policy.yml": "rulesets:\n  - name: s\n    rules: [no-such-rule]\n" });
    const broken = bruin(["validate", "shop"], root);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("no such rule: no-such-rule");
  });
});
