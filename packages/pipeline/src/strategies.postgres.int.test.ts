import { randomBytes } from "node:crypto";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { connectLocalServer, openLocalServer } from "@bruin-ts/test-servers";
import { afterAll, beforeAll, describe } from "vitest";
import { strategyTests } from "./test-support/strategy-int.js";

const schema = `bruin_strat_${randomBytes(4).toString("hex")}`;
const connect = (name = "db") => openLocalServer("postgres", name);

let admin: ConnectionAdapter;

beforeAll(async () => {
  admin = await connectLocalServer("postgres", "admin");
});

afterAll(async () => {
  await admin?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.close();
});

describe("table strategies on PostgreSQL", () => {
  strategyTests({
    assetType: "pg.sql",
    platform: "postgres",
    namespace: schema,
    admin: () => admin,
    connect: () => connect(),
    failing: (query) => `SELECT * FROM (${query}) AS q WHERE 1 / (CASE WHEN random() < 2 THEN 0 ELSE 1 END) = 1`,
    notNull: (table, column) => `ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`,
    leftovers: async () =>
      (await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name LIKE '\\_\\_bruin%'`)).rows,
  });
});
