import { openLocalServer } from "@bruin-ts/test-servers";
import { describe } from "vitest";
import { codeMaterializationTests } from "./test-support/code-scenarios.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_py");

describe("Python assets materialized into PostgreSQL", () => {
  codeMaterializationTests({
    platform: "postgres",
    namespace: schema,
    connect: () => openLocalServer("postgres", "db"),
    rows: async (sql) => (await admin().query(sql)).rows,
    leftovers: async () =>
      (
        await admin().query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name LIKE '\\_\\_bruin%'`,
        )
      ).rows,
  });
});
