import { randomBytes } from "node:crypto";
import path from "node:path";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import type { DopplerEmulator, VaultEmulator } from "@bruin-ts/secrets-emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";
import { PG, connectServer } from "./test-support/servers.js";
import {
  DOPPLER_TOKEN,
  VAULT_TOKEN,
  dopplerEnv,
  dopplerWith,
  vaultEnv,
  vaultWith,
} from "./test-support/vault-doppler.js";

const PASSWORD = "Echoed-Pa55word-VD-0xC0FFEE";
const pgSchema = `bruin_vd_${randomBytes(4).toString("hex")}`;
const ordersQuery = "SELECT * FROM (VALUES (1, 10.5), (2, 20.0), (3, 30.25)) AS t(id, amount)";

let pg: ConnectionAdapter;
let vault: VaultEmulator | undefined;
let doppler: DopplerEmulator | undefined;
beforeAll(async () => {
  pg = await connectServer("postgres");
});
afterEach(async () => {
  await vault?.stop();
  await doppler?.stop();
  vault = doppler = undefined;
});
afterAll(async () => {
  await pg?.exec(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await pg?.close();
});

/** A PostgreSQL pipeline: one table from the connection, one asset that echoes the password in a database error. */
function pipeline(table: string): string {
  const root = scratchRepo();
  writeTree(root, {
    "p/pipeline.yml": `name: pg-${table}\ndefault_connections:\n  postgres: warehouse\n`,
    "p/assets/ok.sql": sqlAsset(
      `name: ${pgSchema}.${table}\ntype: pg.sql\nmaterialization: {type: table}`,
      ordersQuery,
    ),
    "p/assets/echo.sql": sqlAsset(
      `name: ${pgSchema}.${table}_echo\ntype: pg.sql\nmaterialization: {type: table}`,
      `SELECT CAST('${PASSWORD}' AS integer) AS x`,
    ),
  });
  return path.join(root, "p");
}

const warehouse = { type: "postgres", details: { ...PG, password: PASSWORD, schema: "public" } };

describe("bruin run on PostgreSQL with connections from Vault and Doppler", () => {
  it("vault: runs, and masks the password in database errors", async () => {
    vault = await vaultWith({ warehouse });
    const result = await runBruin(["run", pipeline("from_vault")], { env: vaultEnv(vault) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^PASS ${pgSchema}\\.from_vault$`, "m"));
    expect(result.stdout).toMatch(new RegExp(`^FAIL ${pgSchema}\\.from_vault_echo$`, "m"));
    expect(result.stdout).toContain('"****"');
    expect(result.all).not.toContain(PASSWORD);
    expect(result.all).not.toContain(VAULT_TOKEN);
    expect(vault.count("read")).toBe(1);
    expect((await pg.query(`SELECT count(*) AS n FROM ${pgSchema}.from_vault`)).rows).toEqual([{ n: 3 }]);
  });

  it("doppler: runs from WAREHOUSE, and masks the password in database errors", async () => {
    doppler = await dopplerWith({ WAREHOUSE: JSON.stringify(warehouse) });
    const result = await runBruin(["run", pipeline("from_doppler")], { env: dopplerEnv(doppler) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^PASS ${pgSchema}\\.from_doppler$`, "m"));
    expect(result.stdout).toContain('"****"');
    expect(result.all).not.toContain(PASSWORD);
    expect(result.all).not.toContain(DOPPLER_TOKEN);
    expect(doppler.count("download")).toBe(1);
    expect((await pg.query(`SELECT count(*) AS n FROM ${pgSchema}.from_doppler`)).rows).toEqual([{ n: 3 }]);
  });

  it("connections test opens the PostgreSQL connection read from each backend", async () => {
    vault = await vaultWith({ warehouse });
    doppler = await dopplerWith({ WAREHOUSE: JSON.stringify(warehouse) });
    for (const env of [vaultEnv(vault), dopplerEnv(doppler)]) {
      const result = await runBruin(["connections", "test", "warehouse"], { env });
      expect(result.code).toBe(0);
      expect(result.all).not.toContain(PASSWORD);
    }
  });
});
