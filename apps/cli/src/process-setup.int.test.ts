import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, scratchRepo, writeTree } from "./test-support/run-cli.js";

// The built CLI sets up its own process (bin.ts); the libraries change no global.
const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

function connectionsTest(name: string, config: string) {
  const root = scratchRepo();
  writeTree(root, { ".bruin.yml": config });
  const result = spawnSync(
    process.execPath,
    [BIN, "connections", "test", name, "--config-file", path.join(root, ".bruin.yml")],
    {
      encoding: "utf8",
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      timeout: 60_000,
    },
  );
  return { code: result.status, all: result.stdout + result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

describe("the CLI's own process set-up", () => {
  it("SQL Server connections work on Node 20: the CLI provides Promise.withResolvers for tedious", () => {
    const result = connectionsTest(
      "sql",
      "environments:\n  default:\n    connections:\n      mssql:\n        - name: sql\n          host: 127.0.0.1\n          port: 1\n          username: sa\n          password: mssql-marker-password-55\n          database: db\n",
    );
    expect(result.code).not.toBe(0);
    expect(result.all).toMatch(/ECONNREFUSED/);
    expect(result.all).not.toMatch(/withResolvers/);
    expect(result.all).not.toContain("mssql-marker-password-55");
  });

  it("loading snowflake-sdk prints no AWS Node-version notice", () => {
    const result = connectionsTest(
      "snow",
      "environments:\n  default:\n    connections:\n      snowflake:\n        - name: snow\n          account: acme\n          username: u\n          password: snowflake-marker-password-77\n          host: 127.0.0.1\n          port: 1\n",
    );
    expect(result.code).not.toBe(0);
    expect(result.all).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
    expect(result.all).not.toContain("snowflake-marker-password-77");
  });
});
