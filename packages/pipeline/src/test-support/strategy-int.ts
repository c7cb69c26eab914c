import type { ConnectionAdapter } from "@bruin-ts/connections";
import { expect, it } from "vitest";
import { engineForPlatform } from "../engines/index.js";
import { errorOf, runPipelineFolder, statuses } from "./duckdb-run.js";
import { selectRows, STRATEGY_SCENARIOS } from "./strategy-scenarios.js";
import { scratchDir, sqlAsset, writeTree } from "./tree.js";

/** One server engine the strategy workflows run against. */
export interface StrategyEngine {
  assetType: "pg.sql" | "my.sql";
  /** pipeline.yml `default_connections` key. */
  platform: "postgres" | "mysql";
  /** Schema (PostgreSQL) or database (MySQL) the test tables live in; unique per run. */
  namespace: string;
  admin: () => ConnectionAdapter;
  connect: () => Promise<ConnectionAdapter>;
  /** The query, made to fail while it runs (not while it is parsed). */
  failing: (query: string) => string;
  /** Makes column `column` of `table` NOT NULL, so inserting NULL fails after earlier statements ran. */
  notNull: (table: string, column: string) => string;
  /** Scratch tables left behind in the namespace. */
  leftovers: () => Promise<unknown[]>;
}

/** Registers the atomicity tests of every strategy. */
export function strategyTests(engine: StrategyEngine): void {
  const { namespace: ns } = engine;
  const folder = (table: string, header: string, query: string) =>
    writeTree(scratchDir("bruin-strategy-"), {
      "pipeline.yml": `name: strategies\ndefault_connections:\n  ${engine.platform}: db\n`,
      "assets/t.sql": sqlAsset(`name: ${ns}.${table}\ntype: ${engine.assetType}\n${header}`, query),
    });
  const rewrite = (root: string, table: string, header: string, query: string) =>
    writeTree(root, { "assets/t.sql": sqlAsset(`name: ${ns}.${table}\ntype: ${engine.assetType}\n${header}`, query) });
  const rows = async (sql: string) => (await engine.admin().query(sql)).rows;
  const claimed: readonly string[] = engineForPlatform(engine.platform)?.capabilities.strategies ?? [];

  // The two-run workflow of each strategy is the engine contract (contract.*.int.test.ts).

  for (const [i, s] of STRATEGY_SCENARIOS.entries()) {
    // ddl runs no query.
    if (s.strategy === "create+replace" || s.strategy === "ddl") continue;
    if (!claimed.includes(s.strategy)) continue;
    it(`${s.strategy}: a query failing while it runs leaves the table as it was`, async () => {
      const table = `fail_${i}`;
      const root = folder(table, s.header, s.first);
      expect((await runPipelineFolder(root, engine.connect, { fullRefresh: true })).ok).toBe(true);
      const before = await rows(`SELECT ${s.columns} FROM ${ns}.${table} ORDER BY ${s.orderBy}`);
      rewrite(root, table, s.header, engine.failing(s.second));
      const result = await runPipelineFolder(root, engine.connect);
      expect(Object.values(statuses(result))).toEqual(["failed"]);
      expect(await rows(`SELECT ${s.columns} FROM ${ns}.${table} ORDER BY ${s.orderBy}`)).toEqual(before);
      expect(await engine.leftovers()).toEqual([]);
    });
  }

  it("truncate+insert: an insert failing after the delete rolls the delete back", async () => {
    const header = "materialization: {type: table, strategy: truncate+insert}";
    const root = folder(
      "late_fail",
      header,
      selectRows(
        ["id", "v"],
        [
          [1, "a"],
          [2, "b"],
        ],
      ),
    );
    expect((await runPipelineFolder(root, engine.connect, { fullRefresh: true })).ok).toBe(true);
    await engine.admin().exec(engine.notNull(`${ns}.late_fail`, "v"));
    rewrite(root, "late_fail", header, "SELECT 3 AS id, NULL AS v");
    const result = await runPipelineFolder(root, engine.connect);
    expect(errorOf(result, `${ns}.late_fail`)).toMatch(/null/i);
    expect(await rows(`SELECT id, v FROM ${ns}.late_fail ORDER BY id`)).toEqual([
      { id: 1, v: "a" },
      { id: 2, v: "b" },
    ]);
    expect(await engine.leftovers()).toEqual([]);
  });

  it("an incremental strategy creates a missing table", async () => {
    const header = "materialization: {type: table, strategy: merge}\ncolumns:\n  - {name: id, primary_key: true}";
    const root = folder("created", header, selectRows(["id", "v"], [[1, "a"]]));
    expect((await runPipelineFolder(root, engine.connect)).ok).toBe(true);
    expect(await rows(`SELECT id, v FROM ${ns}.created`)).toEqual([{ id: 1, v: "a" }]);
  });
}
