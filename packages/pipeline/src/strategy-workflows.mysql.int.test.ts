import { openLocalServer } from "@bruin-ts/test-servers";
import { describe } from "vitest";
import { scratchNamespace } from "./test-support/scratch-namespace.js";
import { strategyWorkflowTests } from "./test-support/strategy-workflows.js";

const { name: database, admin } = scratchNamespace("mysql", "bruin_wf");

describe("time_interval and SCD2 workflows on MySQL/MariaDB", () => {
  strategyWorkflowTests({
    assetType: "my.sql",
    platform: "mysql",
    dataVault: false,
    namespace: database,
    connect: () => openLocalServer("mysql", "db"),
    // DATETIME columns hold UTC as written: no session zone applies.
    rows: async (sql) => (await admin().query(sql)).rows,
  });
});
