import type { ConnectionAdapter } from "@bruin-ts/connections";
import { expect, it } from "vitest";
import type { AnsiEngine } from "../engines/ansi.js";
import { CHECK_SCENARIOS } from "./check-scenarios.js";
import { errorOf, runPipelineFolder, statuses } from "./duckdb-run.js";
import { STRATEGY_SCENARIOS } from "./strategy-scenarios.js";
import { scratchDir, sqlAsset, writeTree } from "./tree.js";

/** An engine with a local server (or embedded), and where its test tables live. */
export interface ContractTarget {
  engine: AnsiEngine;
  /** Schema (or MySQL database) the test tables live in. */
  namespace: string;
  /** A new adapter on the engine; the run closes it. */
  connect: () => Promise<ConnectionAdapter>;
  rows: (sql: string) => Promise<Record<string, unknown>[]>;
  /** Scratch tables left behind in the namespace. */
  leftovers: () => Promise<unknown[]>;
}

/**
 * The engine contract: every strategy and every check the engine's module
 * claims runs the shared scenario table end to end (`runPipeline`, the
 * engine's own adapter) and leaves the rows the scenario expects. The same
 * table is snapshotted as SQL for the engines without a local server.
 */
export function contractTests(target: ContractTarget): void {
  const { engine, namespace: ns } = target;
  const assetType = engine.assetTypes[0]!;
  const folder = (root: string, table: string, header: string, query: string) =>
    writeTree(root, {
      "pipeline.yml": `name: contract\ndefault_connections:\n  ${engine.platform}: db\n`,
      "assets/t.sql": sqlAsset(`name: ${ns}.${table}\ntype: ${assetType}\n${header}`, query),
    });

  it("has a scenario for every strategy and check it claims", () => {
    const strategies = new Set(STRATEGY_SCENARIOS.map((s) => s.strategy));
    const checks = new Set(CHECK_SCENARIOS.map((c) => c.check));
    expect(engine.capabilities.strategies.filter((s) => !strategies.has(s))).toEqual([]);
    expect(engine.capabilities.checks.filter((c) => !checks.has(c))).toEqual([]);
  });

  for (const [i, s] of STRATEGY_SCENARIOS.entries()) {
    if (!engine.capabilities.strategies.some((claimed) => claimed === s.strategy)) continue;
    it(`${s.strategy}: a full refresh, then the strategy on changed data`, async () => {
      const table = `wf_${i}`;
      const root = folder(scratchDir("bruin-contract-"), table, s.header, s.first);
      expect((await runPipelineFolder(root, target.connect, { fullRefresh: true })).ok).toBe(true);
      folder(root, table, s.header, s.second);
      const result = await runPipelineFolder(root, target.connect);
      expect(result.tasks.map((t) => [t.task.id, t.status, t.error])).toEqual([
        [`${ns}.${table}`, "succeeded", undefined],
      ]);
      expect(await target.rows(`SELECT ${s.columns} FROM ${ns}.${table} ORDER BY ${s.orderBy}`)).toEqual(s.expected);
      expect(await target.leftovers()).toEqual([]);
    });
  }

  for (const [i, c] of CHECK_SCENARIOS.entries()) {
    if (!engine.capabilities.checks.some((claimed) => claimed === c.check)) continue;
    it(`check ${c.check}: passes on good rows, counts the one bad row`, async () => {
      const table = `chk_${i}`;
      const id = `${ns}.${table}`;
      const header = `materialization: {type: table}\ncolumns:\n  - name: v\n    checks: [{name: ${c.check}${c.value ? `, value: ${c.value}` : ""}}]`;
      const root = folder(scratchDir("bruin-contract-"), table, header, c.good);
      expect(statuses(await runPipelineFolder(root, target.connect))).toEqual({
        [id]: "succeeded",
        [`${id}:v:${c.check}`]: "succeeded",
      });
      folder(root, table, header, c.bad);
      const failed = await runPipelineFolder(root, target.connect);
      expect(statuses(failed)).toEqual({ [id]: "succeeded", [`${id}:v:${c.check}`]: "failed" });
      expect(errorOf(failed, `${id}:v:${c.check}`)).toBe(`check '${c.check}' on column 'v' of '${id}' failed: 1 row`);
    });
  }
}
