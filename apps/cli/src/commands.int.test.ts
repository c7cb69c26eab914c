import { randomBytes } from "node:crypto";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SECRET, emulatorWith, infisicalEnv } from "./test-support/infisical.js";
import { runBruin, scratchRepo, writeTree } from "./test-support/run-cli.js";
import { MY, PG, connectServer, serversConfig } from "./test-support/servers.js";

const PASSWORD = "Cmd-Pa55word-never-shown";
const table = `bruin_query_${randomBytes(4).toString("hex")}`;
let pg: ConnectionAdapter;
let emulator: Emulator;

beforeAll(async () => {
  pg = await connectServer("postgres");
  await pg.exec(
    `CREATE TABLE ${table} AS SELECT * FROM (VALUES (1, 'a,b'), (2, 'say "hi"'), (3, NULL)) AS t(id, label)`,
  );
  emulator = await emulatorWith({
    "postgres-default": JSON.stringify({ type: "postgres", details: { ...PG, password: PASSWORD } }),
    "mysql-default": JSON.stringify({ type: "mysql", details: MY }),
    "mysql-wrong-port": JSON.stringify({ type: "mysql", details: { ...MY, port: 1, password: PASSWORD } }),
  });
});
afterAll(async () => {
  await pg?.exec(`DROP TABLE IF EXISTS ${table}`);
  await pg?.close();
  await emulator?.stop();
});

function fileProject(): string {
  const root = scratchRepo();
  writeTree(root, { ".bruin.yml": serversConfig(PASSWORD) });
  return root;
}

describe("bruin connections on PostgreSQL and MariaDB", () => {
  it("lists and tests connections from .bruin.yml", async () => {
    const root = fileProject();
    const list = await runBruin(["connections", "list"], { cwd: root });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\| postgres \| postgres-default \|/);
    expect(list.stdout).toMatch(/\| mysql\s+\| mysql-default\s+\|/);
    for (const name of ["postgres-default", "mysql-default"]) {
      const test = await runBruin(["connections", "test", name], { cwd: root });
      expect(test.stdout.trim()).toBe(`Successfully tested connection '${name}' in environment: default`);
      expect(test.code).toBe(0);
    }
    expect(list.all).not.toContain(PASSWORD);
  });

  it("lists and tests connections from Infisical, reporting one that cannot connect", async () => {
    const root = scratchRepo();
    const env = infisicalEnv(emulator);
    const list = await runBruin(["connections", "list", "-o", "json"], { cwd: root, env });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).environments[0].connections.map((c: { name: string }) => c.name)).toEqual([
      "mysql-default",
      "mysql-wrong-port",
      "postgres-default",
    ]);
    for (const name of ["postgres-default", "mysql-default"]) {
      const test = await runBruin(["connections", "test", name], { cwd: root, env });
      expect(test.stdout.trim()).toBe(`Successfully tested connection '${name}' in environment: dev`);
    }
    const refused = await runBruin(["connections", "test", "mysql-wrong-port", "-o", "json"], { cwd: root, env });
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.stdout);
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/^failed to test connection 'mysql-wrong-port': /);
    for (const result of [list, refused]) {
      expect(result.all).not.toContain(PASSWORD);
      expect(result.all).not.toContain(CLIENT_SECRET);
    }
  });
});

describe("bruin query on PostgreSQL", () => {
  const sql = `SELECT id, label FROM ${table} ORDER BY id`;

  it("prints plain, JSON and CSV, through the file backend and through Infisical", async () => {
    const fromFile = { cwd: fileProject() };
    const fromInfisical = { cwd: scratchRepo(), env: infisicalEnv(emulator) };
    for (const options of [fromFile, fromInfisical]) {
      const plain = await runBruin(["query", "-c", "postgres-default", "-q", sql], options);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toMatch(/\| 2\s+\| say "hi" \|/);
      expect(plain.stdout).toMatch(/\| 3\s+\| NULL\s+\|/);

      const json = await runBruin(["query", "-c", "postgres-default", "-q", sql, "-o", "json"], options);
      expect(JSON.parse(json.stdout)).toEqual({
        columns: [
          { name: "id", type: "INT4" },
          { name: "label", type: "TEXT" },
        ],
        rows: [
          [1, "a,b"],
          [2, 'say "hi"'],
          [3, null],
        ],
        connectionName: "postgres-default",
        query: sql,
      });

      const csv = await runBruin(["query", "-c", "postgres-default", "-q", sql, "-o", "csv"], options);
      expect(csv.stdout).toBe('id,label\n1,"a,b"\n2,"say ""hi"""\n3,\n');
    }
  });
});
