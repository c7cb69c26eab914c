import { openLocalServer } from "@bruin-ts/test-servers";
import { describe } from "vitest";
import { strategyTests } from "./test-support/strategy-int.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_strat");
const connect = (name = "db") => openLocalServer("postgres", name);

describe("table strategies on PostgreSQL", () => {
  strategyTests({
    assetType: "pg.sql",
    platform: "postgres",
    namespace: schema,
    admin,
    connect: () => connect(),
    failing: (query) => `SELECT * FROM (${query}) AS q WHERE 1 / (CASE WHEN random() < 2 THEN 0 ELSE 1 END) = 1`,
    notNull: (table, column) => `ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`,
    leftovers: async () =>
      (
        await admin().query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name LIKE '\\_\\_bruin%'`,
        )
      ).rows,
  });
});
