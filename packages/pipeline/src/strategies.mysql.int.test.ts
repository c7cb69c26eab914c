import { randomBytes } from "node:crypto";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { connectLocalServer, openLocalServer } from "@bruin-ts/test-servers";
import { afterAll, beforeAll, describe } from "vitest";
import { strategyTests } from "./test-support/strategy-int.js";

// On MySQL `db.t` names database `db`: each run uses its own database.
const database = `bruin_strat_${randomBytes(4).toString("hex")}`;
const connect = (name = "db") => openLocalServer("mysql", name);

let admin: ConnectionAdapter;

beforeAll(async () => {
  admin = await connectLocalServer("mysql", "admin");
});

afterAll(async () => {
  await admin?.exec(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin?.close();
});

describe("table strategies on MySQL/MariaDB", () => {
  strategyTests({
    assetType: "my.sql",
    platform: "mysql",
    namespace: database,
    admin: () => admin,
    connect: () => connect(),
    // "Subquery returns more than 1 row" is raised while the query runs.
    failing: (query) => `SELECT q.* FROM (${query}) AS q WHERE (SELECT 1 UNION ALL SELECT 2) = 1`,
    notNull: (table, column) => `ALTER TABLE ${table} MODIFY ${column} VARCHAR(1) NOT NULL`,
    leftovers: async () =>
      (await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${database}' AND table_name LIKE '\\_\\_bruin%'`)).rows,
  });
});
