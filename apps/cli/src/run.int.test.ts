import { randomBytes } from "node:crypto";
import path from "node:path";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SECRET, emulatorWith, infisicalEnv } from "./test-support/infisical.js";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";
import { MY, PG, connectServer, serversConfig } from "./test-support/servers.js";

const PASSWORD = "Echoed-Pa55word-0xBEEF";
const suffix = randomBytes(4).toString("hex");
const pgSchema = `bruin_cli_${suffix}`;
const myDatabase = `bruin_cli_${suffix}`;

let pg: ConnectionAdapter;
let my: ConnectionAdapter;
beforeAll(async () => {
  pg = await connectServer("postgres");
  my = await connectServer("mysql");
});
afterAll(async () => {
  await pg?.exec(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await my?.exec(`DROP DATABASE IF EXISTS ${myDatabase}`);
  await pg?.close();
  await my?.close();
});

const ordersQuery = "SELECT * FROM (VALUES (1, 10.5), (2, 20.0), (3, 30.25)) AS t(id, amount)";

describe("bruin run on PostgreSQL and MySQL with .bruin.yml", () => {
  it("runs a pg.sql pipeline end to end", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": serversConfig(),
      "p/pipeline.yml": "name: pg\n",
      "p/assets/orders.sql": sqlAsset(
        `name: ${pgSchema}.orders\ntype: pg.sql\nmaterialization: {type: table}\ncolumns:\n  - name: id\n    checks: [{name: unique}, {name: not_null}]`,
        ordersQuery,
      ),
      "p/assets/totals.sql": sqlAsset(
        `name: ${pgSchema}.totals\ntype: pg.sql\ndepends: [${pgSchema}.orders]\nmaterialization: {type: view}`,
        `SELECT count(*) AS orders, sum(amount) AS revenue FROM ${pgSchema}.orders`,
      ),
    });
    const result = await runBruin(["run", path.join(root, "p")], { env: { PG_PASSWORD: PASSWORD } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^PASS ${pgSchema}\\.orders \\.\\.$`, "m"));
    expect((await pg.query(`SELECT orders, revenue FROM ${pgSchema}.totals`)).rows).toEqual([
      { orders: 3, revenue: 60.75 },
    ]);
  });

  it("runs a my.sql pipeline end to end", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": serversConfig(),
      "p/pipeline.yml": "name: my\n",
      "p/assets/orders.sql": sqlAsset(
        `name: ${myDatabase}.orders\ntype: my.sql\nmaterialization: {type: table}\ncolumns:\n  - name: amount\n    checks: [{name: positive}]`,
        "SELECT 1 AS id, 10.5 AS amount UNION ALL SELECT 2, 20.0 UNION ALL SELECT 3, 30.25",
      ),
      "p/assets/big.sql": sqlAsset(
        `name: ${myDatabase}.big\ntype: my.sql\ndepends: [${myDatabase}.orders]\nmaterialization: {type: table}`,
        `SELECT id FROM ${myDatabase}.orders WHERE amount > 15 ORDER BY id`,
      ),
    });
    const result = await runBruin(["run", path.join(root, "p")], { env: { PG_PASSWORD: PASSWORD } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect((await my.query(`SELECT id FROM ${myDatabase}.big ORDER BY id`)).rows).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it("keeps the previous PostgreSQL table when a replace fails, and masks a password the database echoes", async () => {
    const root = scratchRepo();
    const asset = (query: string) =>
      sqlAsset(`name: ${pgSchema}.kept\ntype: pg.sql\nmaterialization: {type: table}`, query);
    writeTree(root, {
      ".bruin.yml": serversConfig(),
      "p/pipeline.yml": "name: kept\n",
      "p/assets/kept.sql": asset(ordersQuery),
    });
    expect((await runBruin(["run", path.join(root, "p")], { env: { PG_PASSWORD: PASSWORD } })).code).toBe(0);

    // The new query fails at execution time, and the error message quotes the password.
    writeTree(root, {
      "p/assets/kept.sql": asset(`SELECT id, CAST('${PASSWORD}' AS integer) AS amount FROM (VALUES (1)) AS t(id)`),
    });
    const failed = await runBruin(["run", path.join(root, "p")], { env: { PG_PASSWORD: PASSWORD } });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("invalid input syntax for type integer");
    expect(failed.stdout).toContain('"****"');
    expect(failed.all).not.toContain(PASSWORD);
    expect((await pg.query(`SELECT id, amount FROM ${pgSchema}.kept ORDER BY id`)).rows).toEqual([
      { id: 1, amount: 10.5 },
      { id: 2, amount: 20 },
      { id: 3, amount: 30.25 },
    ]);
  });
});

describe("bruin run --secrets-backend infisical on PostgreSQL", () => {
  let emulator: Emulator;
  afterAll(async () => emulator?.stop());

  it("runs with the connection only in Infisical and masks its password in database errors", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: pg-infisical\ndefault_connections:\n  postgres: warehouse\n",
      "p/assets/ok.sql": sqlAsset(
        `name: ${pgSchema}.from_infisical\ntype: pg.sql\nmaterialization: {type: table}`,
        ordersQuery,
      ),
      "p/assets/echo.sql": sqlAsset(
        `name: ${pgSchema}.echo\ntype: pg.sql\nmaterialization: {type: table}`,
        `SELECT CAST('${PASSWORD}' AS integer) AS x`,
      ),
    });
    emulator = await emulatorWith({
      warehouse: JSON.stringify({ type: "postgres", details: { ...PG, password: PASSWORD, schema: "public" } }),
    });
    const result = await runBruin(["run", path.join(root, "p")], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^PASS ${pgSchema}\\.from_infisical$`, "m"));
    expect(result.stdout).toMatch(new RegExp(`^FAIL ${pgSchema}\\.echo$`, "m"));
    expect(result.stdout).toContain('"****"');
    expect(result.all).not.toContain(PASSWORD);
    expect(result.all).not.toContain(CLIENT_SECRET);
    expect(emulator.counters.login).toBe(1);
    expect(emulator.counters.getSecret).toBe(1);
    expect((await pg.query(`SELECT count(*) AS n FROM ${pgSchema}.from_infisical`)).rows).toEqual([{ n: 3 }]);
  });
});
