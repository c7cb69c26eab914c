/**
 * A pipeline on PostgreSQL and DuckDB whose two connections come from Azure
 * Key Vault: the built CLI (`pnpm build` first) in a child process, against
 * the Azure emulator over HTTPS (its CA in NODE_EXTRA_CA_CERTS).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { makeTestCertificates, type TestCertificates } from "@bruin-ts/infisical-emulator";
import type { AzureEmulator } from "@bruin-ts/secrets-emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AZURE_CLIENT_SECRET, azureEnv, azureWith, runBuiltBruin } from "./test-support/azure.js";
import { readDuckDB, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";
import { PG, connectServer } from "./test-support/servers.js";

const PASSWORD = "Echoed-Pa55word-AZ-0xBADC0DE";
const pgSchema = `bruin_az_${randomBytes(4).toString("hex")}`;

let pg: ConnectionAdapter;
let certificates: TestCertificates;
let emulator: AzureEmulator | undefined;
beforeAll(async () => {
  pg = await connectServer("postgres");
  certificates = await makeTestCertificates();
}, 30_000);
afterAll(async () => {
  await emulator?.stop();
  await certificates?.remove();
  await pg?.exec(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await pg?.close();
});

describe("bruin run on PostgreSQL and DuckDB with connections from Azure Key Vault", () => {
  it("runs both engines, reads each connection once, and masks the password in database errors", async () => {
    const root = scratchRepo();
    const duckFile = path.join(root, "local.duckdb");
    writeTree(root, {
      "p/pipeline.yml": "name: azure-two-engines\n",
      "p/assets/orders.sql": sqlAsset(
        `name: ${pgSchema}.orders\ntype: pg.sql\nconnection: pg_warehouse\nmaterialization: {type: table}`,
        "SELECT * FROM (VALUES (1, 10.5), (2, 20.0), (3, 30.25)) AS t(id, amount)",
      ),
      "p/assets/echo.sql": sqlAsset(
        `name: ${pgSchema}.echo\ntype: pg.sql\nconnection: pg_warehouse\nmaterialization: {type: table}`,
        `SELECT CAST('${PASSWORD}' AS integer) AS x`,
      ),
      "p/assets/local.sql": sqlAsset(
        "name: local_copy\ntype: duckdb.sql\nconnection: local-duck\nmaterialization: {type: table}",
        "SELECT 7 AS n",
      ),
    });
    emulator = await azureWith(certificates, {
      pg_warehouse: { type: "postgres", details: { ...PG, password: PASSWORD, schema: "public" } },
      "local-duck": { type: "duckdb", details: { path: duckFile } },
    });
    const result = await runBuiltBruin(["run", path.join(root, "p")], certificates, azureEnv(emulator));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^PASS ${pgSchema}\\.orders$`, "m"));
    expect(result.stdout).toMatch(new RegExp(`^FAIL ${pgSchema}\\.echo$`, "m"));
    expect(result.stdout).toMatch(/^PASS local_copy$/m);
    expect(result.stdout).toContain('"****"');
    expect(result.all).not.toContain(PASSWORD);
    expect(result.all).not.toContain(AZURE_CLIENT_SECRET);
    for (const token of emulator.issuedTokens()) expect(result.all).not.toContain(token);
    expect(emulator.count("token")).toBe(1);
    expect(emulator.requests.filter((r) => r.route === "get" && r.status === 200)).toHaveLength(2);
    expect((await pg.query(`SELECT count(*) AS n FROM ${pgSchema}.orders`)).rows).toEqual([{ n: 3 }]);
    expect(await readDuckDB(duckFile, "SELECT n FROM local_copy")).toEqual([{ n: 7 }]);
  });
});
