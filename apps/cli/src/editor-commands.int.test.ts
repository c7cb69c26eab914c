import { spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, scratchRepo } from "./test-support/run-cli.js";

// These run the built CLI as editors call it: `pnpm build` (or `cd apps/cli && npx tsup`) first.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");
const FIXTURE = path.join(REPO_ROOT, "apps/cli/src/test-support/editor-pipeline");

function bruin(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

describe("the commands editors call, from the built CLI", () => {
  const dir = path.join(scratchRepo(), "editor-pipeline");
  cpSync(FIXTURE, dir, { recursive: true });

  it("render prints the materialized query, and {query} with -o json", () => {
    const asset = path.join(dir, "assets/raw.customers.sql");
    const plain = bruin(["render", asset]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('CREATE OR REPLACE VIEW "raw"."customers" AS');
    expect(plain.stdout).toContain("SELECT 'jhon' AS name UNION ALL");
    const json = bruin(["render", "-o", "json", "--raw-query", "--var", 'users=["ada"]', asset]);
    expect(JSON.parse(json.stdout)).toEqual({ query: "SELECT 'ada' AS name" });
  });

  it("internal parse-pipeline, parse-asset and connections print JSON documents", () => {
    const pipeline = bruin(["internal", "parse-pipeline", dir]);
    expect(pipeline.code).toBe(0);
    expect((JSON.parse(pipeline.stdout) as { name: string }).name).toBe("editor_fixture");
    const asset = bruin(["internal", "parse-asset", path.join(dir, "assets/mart/orders.sql")]);
    expect(asset.code).toBe(0);
    expect((JSON.parse(asset.stdout) as { asset: { name: string } }).asset.name).toBe("mart.orders");
    const schema = bruin(["internal", "connections"]);
    expect(schema.code).toBe(0);
    expect(Object.keys((JSON.parse(schema.stdout) as { $defs: object }).$defs)).toContain("DuckDBConnection");
  });
});
