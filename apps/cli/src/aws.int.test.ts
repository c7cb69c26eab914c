import { randomBytes } from "node:crypto";
import path from "node:path";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import type { AwsEmulator } from "@bruin-ts/secrets-emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AWS_SECRET_ACCESS_KEY, awsEnv, awsWith } from "./test-support/aws.js";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";
import { PG, connectServer } from "./test-support/servers.js";

const PASSWORD = "Echoed-Pa55word-AWS-0xBEEF42";
const pgSchema = `bruin_aws_${randomBytes(4).toString("hex")}`;
const ordersQuery = "SELECT * FROM (VALUES (1, 10.5), (2, 20.0), (3, 30.25)) AS t(id, amount)";

let pg: ConnectionAdapter;
let aws: AwsEmulator | undefined;
beforeAll(async () => {
  pg = await connectServer("postgres");
});
afterEach(async () => {
  await aws?.stop();
  aws = undefined;
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

describe("bruin run on PostgreSQL with connections from AWS Secrets Manager", () => {
  it("runs, and masks the password in database errors", async () => {
    aws = await awsWith({ warehouse });
    const result = await runBruin(["run", pipeline("from_aws")], { env: awsEnv(aws) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^PASS ${pgSchema}\\.from_aws$`, "m"));
    expect(result.stdout).toMatch(new RegExp(`^FAIL ${pgSchema}\\.from_aws_echo$`, "m"));
    expect(result.stdout).toContain('"****"');
    expect(result.all).not.toContain(PASSWORD);
    expect(result.all).not.toContain(AWS_SECRET_ACCESS_KEY);
    expect(aws.count("GetSecretValue")).toBe(1);
    expect((await pg.query(`SELECT count(*) AS n FROM ${pgSchema}.from_aws`)).rows).toEqual([{ n: 3 }]);
  });

  it("connections test opens the PostgreSQL connection read from AWS", async () => {
    aws = await awsWith({ warehouse });
    const result = await runBruin(["connections", "test", "warehouse"], { env: awsEnv(aws) });
    expect(result.code).toBe(0);
    expect(result.all).not.toContain(PASSWORD);
    expect(aws.count("GetSecretValue")).toBe(1);
  });
});
