import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { errorOf, runPipelineFolder, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

/** Each server engine, with the asset-type prefix and default connection of its assets. */
const ENGINES = [
  { server: "postgres", label: "PostgreSQL", prefix: "pg", namespace: scratchNamespace("postgres", "bruin_rel") },
  { server: "mysql", label: "MySQL/MariaDB", prefix: "my", namespace: scratchNamespace("mysql", "bruin_rel") },
] as const;

describe.each(ENGINES)("relationships and custom check counts on $label", ({ server, prefix, namespace }) => {
  const { name: ns } = namespace;

  it("counts child rows missing from the parent and compares row counts", async () => {
    const root = writeTree(scratchDir("bruin-rel-"), {
      "pipeline.yml": `name: rel\ndefault_connections:\n  ${server}: ${prefix}\n`,
      "assets/customers.sql": sqlAsset(
        `name: ${ns}.customers\ntype: ${prefix}.sql\nmaterialization: {type: table}`,
        "SELECT 1 AS id UNION ALL SELECT 2",
      ),
      "assets/orders.sql": sqlAsset(
        [
          `name: ${ns}.orders`,
          `type: ${prefix}.sql`,
          `depends: [${ns}.customers]`,
          "materialization: {type: table}",
          "columns:",
          "  - name: customer_id",
          `    foreign_key: {table: ${ns}.customers, column: id}`,
          "    checks: [{name: relationships}]",
          "custom_checks:",
          "  - name: orders of customer 1",
          `    query: SELECT * FROM ${ns}.orders WHERE customer_id = 1`,
          "    count: 2",
          "  - name: all orders",
          `    query: SELECT * FROM ${ns}.orders`,
          "    count: 3",
        ].join("\n"),
        "SELECT 10 AS order_id, 1 AS customer_id UNION ALL SELECT 11, 1 UNION ALL SELECT 12, 5 UNION ALL SELECT 13, NULL",
      ),
    });
    const result = await runPipelineFolder(root, () => openLocalServer(server, prefix));
    expect(statuses(result)).toEqual({
      [`${ns}.customers`]: "succeeded",
      [`${ns}.orders`]: "succeeded",
      [`${ns}.orders:customer_id:relationships`]: "failed",
      [`${ns}.orders:custom-check:orders_of_customer_1`]: "succeeded",
      [`${ns}.orders:custom-check:all_orders`]: "failed",
    });
    expect(errorOf(result, `${ns}.orders:customer_id:relationships`)).toBe(
      `check 'relationships' on column 'customer_id' of '${ns}.orders' failed: 1 row`,
    );
    expect(errorOf(result, `${ns}.orders:custom-check:all_orders`)).toBe(
      `custom check 'all orders' of '${ns}.orders' failed: the query returned 4 rows, expected 3`,
    );
  });
});
