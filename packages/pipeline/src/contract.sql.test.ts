import type { ConnectionType } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { columnCheckQuery } from "./checks.js";
import type { AnsiEngine } from "./engines/ansi.js";
import { duckdb } from "./engines/duckdb.js";
import { ENGINES } from "./engines/index.js";
import { mysql } from "./engines/mysql.js";
import { postgres } from "./engines/postgres.js";
import { loadPipeline } from "./load.js";
import { materializeAsset } from "./materialize.js";
import { CHECK_SCENARIOS } from "./test-support/check-scenarios.js";
import { fakeAdapter, stableNames } from "./test-support/fake-adapter.js";
import { STRATEGY_SCENARIOS } from "./test-support/strategy-scenarios.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";

/** Engines the contract runs for real (contract.duckdb.test.ts, contract.*.int.test.ts). */
const RUN_FOR_REAL: ReadonlySet<AnsiEngine> = new Set([duckdb, postgres, mysql]);

/**
 * The engine contract for engines without a local server: the same scenario
 * table, as the SQL each engine's module generates (recorded by the fake
 * adapter), held to reviewed snapshots.
 */
for (const engine of ENGINES.filter((e) => !RUN_FOR_REAL.has(e))) {
  const type = engine.platform as ConnectionType;
  describe(`engine contract: ${engine.name} (no local server), as SQL`, () => {
    it("has a scenario for every strategy and check it claims", () => {
      expect(engine.capabilities.strategies.filter((s) => !STRATEGY_SCENARIOS.some((x) => x.strategy === s))).toEqual(
        [],
      );
      expect(engine.capabilities.checks.filter((c) => !CHECK_SCENARIOS.some((x) => x.check === c))).toEqual([]);
    });

    for (const s of STRATEGY_SCENARIOS) {
      if (!engine.capabilities.strategies.some((claimed) => claimed === s.strategy)) continue;
      it(`${s.strategy}: a full refresh, then the strategy on changed data`, async () => {
        const root = writeTree(scratchDir("bruin-contract-sql-"), {
          "pipeline.yml": "name: contract\n",
          "assets/t.sql": sqlAsset(`name: mart.t\ntype: ${engine.assetTypes[0]}\n${s.header}`, s.second),
        });
        const asset = (await loadPipeline(root)).pipeline.assets[0]!;
        const first = fakeAdapter(type);
        await materializeAsset(first.adapter, asset, s.first, { fullRefresh: true });
        const second = fakeAdapter(type, { tableExists: true, columns: s.columns.split(", ") });
        await materializeAsset(second.adapter, asset, s.second);
        expect({ first: stableNames(first.log), second: stableNames(second.log) }).toMatchSnapshot();
      });
    }

    it("the queries of the checks it claims", () => {
      const claimed = CHECK_SCENARIOS.filter((c) => engine.capabilities.checks.some((x) => x === c.check));
      expect(
        Object.fromEntries(
          claimed.map((c) => [c.check, columnCheckQuery(engine.dialect, "mart.t", "v", c.check, c.raw)]),
        ),
      ).toMatchSnapshot();
    });
  });
}
