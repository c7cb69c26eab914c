import { openLocalServer } from "@bruin-ts/test-servers";
import { beforeAll, describe } from "vitest";
import { scratchNamespace } from "./test-support/scratch-namespace.js";
import { strategyWorkflowTests } from "./test-support/strategy-workflows.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_wf");

describe("time_interval and SCD2 workflows on PostgreSQL", () => {
  beforeAll(async () => {
    await admin().exec("SET TIME ZONE 'UTC'");
  });
  strategyWorkflowTests({
    assetType: "pg.sql",
    platform: "postgres",
    dataVault: true,
    namespace: schema,
    connect: () => openLocalServer("postgres", "db"),
    rows: async (sql) => (await admin().query(sql)).rows,
  });
});
