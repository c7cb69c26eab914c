import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { errorOf, runPipelineFolder, statuses } from "./test-support/duckdb-run.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";
import { scratchDir, writeTree } from "./test-support/tree.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_timeout");

describe("timeout: on SQL assets (PostgreSQL)", () => {
  it("cancels pg_sleep on the server at the deadline; the table keeps its rows, downstream is UPSTREAM FAILED", async () => {
    const marker = `bruin_timeout_marker_${schema}`;
    const asset = (sleep: number) =>
      `/* @bruin\nname: ${schema}.slow\ntype: pg.sql\nconnection: db\ntimeout: 1s\nmaterialization: {type: table}\n@bruin */\n` +
      `SELECT '${marker}' AS marker, (SELECT 1 FROM pg_sleep(${sleep})) AS slept\n`;
    const root = writeTree(scratchDir("bruin-pgtimeout-"), {
      "pipeline.yml": "name: t\ndefault_connections:\n  postgres: db\n",
      "assets/slow.sql": asset(0),
      "assets/after.sql": `/* @bruin\nname: ${schema}.after\ntype: pg.sql\nconnection: db\ndepends: [${schema}.slow]\n@bruin */\nSELECT 1 AS x\n`,
    });
    const open = () => openLocalServer("postgres", "db");
    const first = await runPipelineFolder(root, open);
    expect(first.ok, errorOf(first, `${schema}.slow`)).toBe(true);

    writeTree(root, { "assets/slow.sql": asset(60) });
    const started = performance.now();
    const result = await runPipelineFolder(root, open);
    const seconds = (performance.now() - started) / 1000;
    expect(statuses(result)).toEqual({ [`${schema}.slow`]: "failed", [`${schema}.after`]: "upstream_failed" });
    expect(errorOf(result, `${schema}.slow`)).toBe(`asset '${schema}.slow' timed out after 1s and was cancelled`);
    expect(seconds).toBeLessThan(20);
    // Cancelled on the server, not only abandoned by the client.
    const running = await admin().query(
      `SELECT pid FROM pg_stat_activity WHERE query LIKE '%${marker}%' AND pid <> pg_backend_pid()`,
    );
    expect(running.rows).toEqual([]);
    expect((await admin().query(`SELECT marker, slept FROM ${schema}.slow`)).rows).toEqual([{ marker, slept: 1 }]);
  });

  it("cancels only the timed-out asset's statement: another asset running on the same connection finishes", async () => {
    const sql = (name: string, header: string, query: string) =>
      `/* @bruin\nname: ${schema}.${name}\ntype: pg.sql\nconnection: db\n${header}materialization: {type: table}\n@bruin */\n${query}\n`;
    const root = writeTree(scratchDir("bruin-pgtimeout-"), {
      "pipeline.yml": "name: t2\ndefault_connections:\n  postgres: db\n",
      "assets/stuck.sql": sql("stuck", "timeout: 1s\n", "SELECT (SELECT 1 FROM pg_sleep(60)) AS x"),
      "assets/steady.sql": sql("steady", "", "SELECT (SELECT 2 FROM pg_sleep(3)) AS x"),
    });
    // One adapter for the connection, shared by both assets, as in a run.
    const shared = await openLocalServer("postgres", "db");
    try {
      const result = await runPipelineFolder(root, async () => shared, { workers: 2 });
      expect(statuses(result)).toEqual({ [`${schema}.stuck`]: "failed", [`${schema}.steady`]: "succeeded" });
      expect(errorOf(result, `${schema}.stuck`)).toBe(`asset '${schema}.stuck' timed out after 1s and was cancelled`);
      expect((await admin().query(`SELECT x FROM ${schema}.steady`)).rows).toEqual([{ x: 2 }]);
    } finally {
      await shared.close();
    }
  });
});
