import { openLocalServer } from "@bruin-ts/test-servers";
import { describe } from "vitest";
import { compositeKeyTests } from "./test-support/composite-keys.js";
import { runPipelineFolder } from "./test-support/duckdb-run.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";

const { name: namespace, admin } = scratchNamespace("mysql", "bruin_ckey");

describe("keys of two columns on MySQL/MariaDB", () => {
  const root = writeTree(scratchDir("bruin-ckey-"), {
    "pipeline.yml": "name: composite\ndefault_connections:\n  mysql: db\n",
  });
  compositeKeyTests({
    table: (i) => `${namespace}.composite_${i}`,
    run: (table, header, query, options) => {
      writeTree(root, { "assets/t.sql": sqlAsset(`name: ${table}\ntype: my.sql\n${header}`, query) });
      return runPipelineFolder(root, (name) => openLocalServer("mysql", name), options);
    },
    rows: async (sql) => (await admin().query(sql)).rows,
  });
});
