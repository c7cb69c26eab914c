import { openLocalServer } from "@bruin-ts/test-servers";
import { describe } from "vitest";
import { strategyTests } from "./test-support/strategy-int.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: database, admin } = scratchNamespace("mysql", "bruin_strat");
const connect = (name = "db") => openLocalServer("mysql", name);

describe("table strategies on MySQL/MariaDB", () => {
  strategyTests({
    assetType: "my.sql",
    platform: "mysql",
    namespace: database,
    admin,
    connect: () => connect(),
    // "Subquery returns more than 1 row" is raised while the query runs.
    failing: (query) => `SELECT q.* FROM (${query}) AS q WHERE (SELECT 1 UNION ALL SELECT 2) = 1`,
    notNull: (table, column) => `ALTER TABLE ${table} MODIFY ${column} VARCHAR(1) NOT NULL`,
    leftovers: async () =>
      (
        await admin().query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${database}' AND table_name LIKE '\\_\\_bruin%'`,
        )
      ).rows,
  });
});
