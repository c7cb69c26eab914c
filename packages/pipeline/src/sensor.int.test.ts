import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { buildTasks } from "./graph.js";
import { loadPipeline } from "./load.js";
import { runPipeline } from "./run.js";
import { DAY, errorOf, statuses } from "./test-support/duckdb-run.js";
import { scratchDir, writeTree } from "./test-support/tree.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

/** Each server engine, with the asset-type prefix and default connection of its assets. */
const ENGINES = [
  { server: "postgres", label: "PostgreSQL", prefix: "pg", namespace: scratchNamespace("postgres", "bruin_sensor") },
  { server: "mysql", label: "MySQL/MariaDB", prefix: "my", namespace: scratchNamespace("mysql", "bruin_sensor") },
] as const;

describe.each(ENGINES)("sensors on $label", ({ server, prefix, namespace }) => {
  const { name: ns, admin } = namespace;

  it("wait: a table sensor and a query sensor are met once another session creates and fills the table", async () => {
    const root = writeTree(scratchDir("bruin-sensor-"), {
      "pipeline.yml": `name: sensors\ndefault_connections:\n  ${server}: ${prefix}\n`,
      "assets/arrived.asset.yml": `name: arrived\ntype: ${prefix}.sensor.table\nparameters: {table: ${ns}.events, poke_interval: 100ms, timeout: 20s}\n`,
      "assets/filled.asset.yml": `name: filled\ntype: ${prefix}.sensor.query\ndepends: [arrived]\nparameters: {query: "SELECT count(*) FROM ${ns}.events", poke_interval: 100ms, timeout: 20s}\n`,
      "assets/never.asset.yml": `name: never\ntype: ${prefix}.sensor.table\nparameters: {table: ${ns}.nothing, poke_interval: 100ms, timeout: 300ms}\n`,
    });
    const { pipeline } = await loadPipeline(root);
    const adapter = await openLocalServer(server, prefix);
    try {
      const running = runPipeline({
        pipeline,
        tasks: buildTasks(pipeline, pipeline.assets),
        getConnection: () => Promise.resolve(adapter),
        workers: 3,
        interval: DAY,
        sensorMode: "wait",
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      await admin().exec(`${server === "mysql" ? "CREATE DATABASE" : "CREATE SCHEMA"} IF NOT EXISTS ${ns}`);
      await admin().exec(`CREATE TABLE ${ns}.events (id int)`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await admin().exec(`INSERT INTO ${ns}.events VALUES (1)`);
      const result = await running;
      expect(statuses(result)).toEqual({ arrived: "succeeded", filled: "succeeded", never: "failed" });
      expect(errorOf(result, "never")).toBe(
        `sensor 'never' timed out after 300ms: table '${ns}.nothing' does not exist`,
      );
    } finally {
      await adapter.close();
    }
  });
});
