import { openLocalServer } from "@bruin-ts/test-servers";
import { describe } from "vitest";
import { codeMaterializationTests } from "./test-support/code-scenarios.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: database, admin } = scratchNamespace("mysql", "bruin_py");

describe("Python assets materialized into MySQL/MariaDB", () => {
  codeMaterializationTests({
    platform: "mysql",
    namespace: database,
    connect: () => openLocalServer("mysql", "db"),
    rows: async (sql) => (await admin().query(sql)).rows,
    leftovers: async () =>
      (
        await admin().query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${database}' AND table_name LIKE '\\_\\_bruin%'`,
        )
      ).rows,
  });
});
