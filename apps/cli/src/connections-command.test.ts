import path from "node:path";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_SECRET, duckdbSecret, emulatorWith, infisicalEnv } from "./test-support/infisical.js";
import { copyQuickstart, runBruin, scratchRepo, writeTree } from "./test-support/run-cli.js";

const PASSWORD = "List-Me-Never-Pa55";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function twoEnvironments(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": [
      "default_environment: dev",
      "environments:",
      "  dev:",
      "    connections:",
      "      duckdb:",
      "        - name: local",
      "          path: dev.duckdb",
      "      postgres:",
      "        - name: warehouse",
      "          host: localhost",
      "          username: app",
      `          password: ${PASSWORD}`,
      "          database: analytics",
      "  prod:",
      "    connections:",
      "      duckdb:",
      "        - name: local",
      "          path: prod.duckdb",
    ].join("\n"),
  });
  return root;
}

describe("bruin connections list", () => {
  it("prints a table per environment of .bruin.yml, without values", async () => {
    const root = twoEnvironments();
    const result = await runBruin(["connections", "list"], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Environment: dev");
    expect(result.stdout).toContain("Environment: prod");
    expect(result.stdout).toMatch(/\| Type\s+\| Name\s+\| Filled Fields\s+\|/);
    expect(result.stdout).toMatch(
      /\| postgres \| warehouse \| host, port, username, password, database, pool_max_conns/,
    );
    expect(result.all).not.toContain(PASSWORD);
    expect(result.all).not.toContain("dev.duckdb");
  });

  it("prints JSON for one environment", async () => {
    const root = twoEnvironments();
    const result = await runBruin(["connections", "list", "-o", "json", "--env", "prod"], { cwd: root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      environments: [
        { environment: "prod", connections: [{ name: "local", type: "duckdb", filled_fields: ["path"] }], invalid: [] },
      ],
    });
  });

  it("lists what Infisical holds, valid or not, with reasons and no values", async () => {
    emulator = await emulatorWith({
      "duckdb-default": duckdbSecret("/tmp/x.duckdb"),
      warehouse: JSON.stringify({
        type: "postgres",
        details: { host: "h", username: "u", password: PASSWORD, database: "d" },
      }),
      broken: `{"type": "postgres", "details": {"password": "${PASSWORD}"`,
      odd: JSON.stringify({ type: "oracle", details: { password: PASSWORD } }),
    });
    const result = await runBruin(["connections", "list", "--secrets-backend", "infisical", "-o", "json"], {
      cwd: scratchRepo(),
      env: { ...infisicalEnv(emulator), BRUIN_SECRETS_BACKEND: undefined },
    });
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout).environments[0];
    expect(listing.environment).toBe("dev");
    expect(listing.connections.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
      ["duckdb-default", "duckdb"],
      ["warehouse", "postgres"],
    ]);
    expect(listing.invalid.map((entry: { name: string }) => entry.name)).toEqual(["broken", "odd"]);
    expect(listing.invalid[0].reason).toContain("failed to parse secret as JSON");
    expect(listing.invalid[1].reason).toContain("unknown type 'oracle'");
    expect(result.all).not.toContain(PASSWORD);
    expect(result.all).not.toContain(CLIENT_SECRET);
    expect(emulator.counters.login).toBe(1);
  });
});

describe("bruin connections test", () => {
  it("tests a DuckDB connection from .bruin.yml, by position, --name, -n and -c", async () => {
    const dir = copyQuickstart();
    for (const args of [
      ["duckdb-default"],
      ["--name", "duckdb-default"],
      ["-n", "duckdb-default"],
      ["-c", "duckdb-default"],
    ]) {
      const result = await runBruin(["connections", "test", ...args], { cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe("Successfully tested connection 'duckdb-default' in environment: default");
    }
  });

  it("says when a connection is not in the config file", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["connections", "test", "nope"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `connection 'nope' not found in config file '${path.join(dir, ".bruin.yml")}' under environment 'default'`,
    );
  });

  it("tests a connection held by Infisical, and says when it is not there", async () => {
    const root = scratchRepo();
    emulator = await emulatorWith({ "duckdb-default": duckdbSecret(path.join(root, "t.duckdb")) });
    const env = infisicalEnv(emulator);
    const ok = await runBruin(["connections", "test", "duckdb-default", "-o", "json"], { cwd: root, env });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      connection: "duckdb-default",
      environment: "dev",
      backend: "infisical",
      ok: true,
    });
    const missing = await runBruin(["connections", "test", "ghost"], { cwd: root, env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("connection 'ghost' not found in secrets backend 'infisical'");
  });

  it("reports a connection that cannot be opened", async () => {
    const root = scratchRepo();
    // The database's folder would have to be inside a regular file.
    writeTree(root, {
      "plain-file": "not a folder",
      ".bruin.yml":
        "environments:\n  default:\n    connections:\n      duckdb:\n        - name: gone\n          path: plain-file/x.duckdb\n",
    });
    const result = await runBruin(["connections", "test", "gone"], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^failed to test connection 'gone': /);
  });
});
