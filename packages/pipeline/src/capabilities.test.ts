import { CONNECTION_TYPES, DIALECTS, dialectFor, type ConnectionType } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { COLUMN_CHECK_NAMES } from "./asset-fields.js";
import { columnCheckQuery } from "./checks.js";
import { engineForDialect, engineForPlatform, ENGINES, PLATFORMS, platformOfAssetType } from "./engines/index.js";
import { materializeAsset } from "./materialize.js";
import type { Column } from "./model.js";
import { TABLE_STRATEGIES } from "./strategies.js";
import { makeAsset, makePipeline } from "./test-support/assets.js";
import { CHECK_SCENARIOS } from "./test-support/check-scenarios.js";
import { fakeAdapter } from "./test-support/fake-adapter.js";
import { validatePipeline } from "./validate.js";

const col = (name: string, extra: Partial<Column> = {}): Column => ({
  name,
  primaryKey: false,
  updateOnMerge: false,
  checks: [],
  ...extra,
});

/** Columns filling every Data Vault role (hub, link and satellite alike) by their names. */
const DATAVAULT_COLUMNS: Column[] = ["id_hk", "id_bk", "other_hk", "hashdiff", "load_dts", "record_source"].map(
  (name) => col(name, { type: "VARCHAR(20)", ...(name === "id_hk" ? { primaryKey: true } : {}) }),
);

function sqlTypes(): ConnectionType[] {
  return CONNECTION_TYPES.filter((t) => {
    try {
      dialectFor(t);
      return true;
    } catch {
      return false;
    }
  });
}

describe("the engine registry", () => {
  it("has one engine module per SQL connection type, and no other", () => {
    expect(ENGINES.map((e) => e.platform).sort()).toEqual(sqlTypes().sort());
  });

  it("gives each asset type to one platform only", () => {
    const types = PLATFORMS.flatMap((p) => p.assetTypes);
    expect(new Set(types).size).toBe(types.length);
  });

  it("gives a dialect without an engine module the ANSI default, which claims no table strategy", async () => {
    const engine = engineForDialect(DIALECTS.mongodb);
    expect(engine.capabilities.strategies).toEqual([]);
    const fake = fakeAdapter("duckdb");
    const adapter = { ...fake.adapter, type: "mongodb" as const, dialect: DIALECTS.mongodb };
    const { log } = fake;
    const asset = makeAsset("t", { materialization: { type: "table" } });
    await expect(materializeAsset(adapter, asset, "SELECT 1")).rejects.toThrow(
      "table materialization on mongodb is not supported yet",
    );
    expect(log).toEqual([]);
  });
});

for (const engine of ENGINES) {
  const type = engine.platform as ConnectionType;
  const assetType = engine.assetTypes[0]!;
  const caps = engine.capabilities;

  describe(`${engine.name} claims exactly what its module implements`, () => {
    it("its names lead back to it: asset types, connection type, dialect", () => {
      expect(engine.assetTypes.length).toBeGreaterThan(0);
      for (const t of engine.assetTypes) expect(engineForPlatform(platformOfAssetType(t)!)).toBe(engine);
      expect(dialectFor(type)).toBe(engine.dialect);
      expect(engineForDialect(engine.dialect)).toBe(engine);
    });

    it("strategies: each one claimed runs, each other one is refused by run and by validate alike", async () => {
      const implemented = ["create+replace", ...(engine.incremental?.strategies ?? [])];
      expect([...caps.strategies].sort()).toEqual(implemented.sort());
      for (const strategy of TABLE_STRATEGIES) {
        const asset = makeAsset("mart.t", {
          type: assetType,
          platform: type,
          materialization: { type: "table", strategy, incrementalKey: "id", timeGranularity: "date" },
          columns: strategy.startsWith("datavault_")
            ? DATAVAULT_COLUMNS
            : [col("id", { primaryKey: true, type: "DATE" }), col("v", { updateOnMerge: true, type: "INTEGER" })],
        });
        const { adapter, log } = fakeAdapter(type, { tableExists: true, columns: ["id", "v"] });
        const run = materializeAsset(adapter, asset, "SELECT 1 AS id, 2 AS v");
        const { issues } = await validatePipeline(makePipeline([asset]), [asset]);
        if (caps.strategies.includes(strategy)) {
          await run;
          expect(log.length, strategy).toBeGreaterThan(0);
          expect(issues, strategy).toEqual([]);
        } else {
          await expect(run, strategy).rejects.toThrow(engine.strategyNotSupported(strategy));
          expect(log, strategy).toEqual([]);
          expect(issues, strategy).toEqual([`asset 'mart.t': ${engine.strategyNotSupported(strategy)}`]);
        }
      }
    });

    it("checks: each one claimed has SQL, each other one is refused by run and by validate alike; pattern exactly with regex", async () => {
      expect(caps.regex).toBe(typeof engine.patternMismatch === "function");
      expect(caps.checks.includes("pattern")).toBe(caps.regex);
      expect(CHECK_SCENARIOS.map((c) => c.check).sort()).toEqual([...COLUMN_CHECK_NAMES].sort());
      for (const c of CHECK_SCENARIOS) {
        const query = () => columnCheckQuery(engine.dialect, "mart.t", "v", c.check, c.raw);
        const asset = makeAsset("mart.t", {
          type: assetType,
          platform: type,
          columns: [
            col("v", { checks: [{ name: c.check, ...(c.raw !== undefined ? { value: c.raw } : {}), blocking: true }] }),
          ],
        });
        const { issues } = await validatePipeline(makePipeline([asset]), [asset]);
        if (caps.checks.some((x) => x === c.check)) {
          expect(query(), c.check).toMatch(/^SELECT COUNT/);
          expect(issues, c.check).toEqual([]);
        } else {
          expect(query, c.check).toThrow(engine.checkNotSupported(c.check));
          expect(issues, c.check).toEqual([`asset 'mart.t': column 'v': ${engine.checkNotSupported(c.check)}`]);
        }
      }
    });

    it("merge: claimed exactly when its merge strategy is one MERGE statement", () => {
      if (!engine.incremental) {
        expect(caps.merge).toBe(false);
        return;
      }
      const asset = makeAsset("mart.t", {
        columns: [col("id", { primaryKey: true }), col("v", { updateOnMerge: true })],
      });
      const plan = engine.incremental.plan({
        strategy: "merge",
        table: "mart.t",
        query: "SELECT 1",
        columns: ["id", "v"],
        asset,
        scratch: "mart.__bruin_tmp_1",
      });
      expect(caps.merge).toBe([plan.build ?? "", ...plan.apply].some((s) => s.startsWith("MERGE INTO")));
    });

    it("transactional DDL: claimed exactly when its table swap runs DDL inside a transaction, as its dialect says", async () => {
      const { adapter, log } = fakeAdapter(type);
      await engine.replaceTable(adapter, "mart.t", "SELECT 1 AS x");
      const begin = log.indexOf("BEGIN");
      const inside = begin < 0 ? [] : log.slice(begin + 1, log.indexOf("COMMIT"));
      expect(caps.transactionalDdl).toBe(inside.some((s) => /^(CREATE|DROP|ALTER|EXEC sp_rename)\b/.test(s)));
      expect(caps.transactionalDdl).toBe(engine.dialect.transactionalDdl);
    });

    it("schemas: claimed exactly when a qualified name gets its schema created, as its dialect says", async () => {
      const { adapter, log } = fakeAdapter(type);
      await engine.ensureParent(adapter, "mart.t");
      expect(caps.schemas).toBe(log.some((l) => l.includes("CREATE SCHEMA")));
      expect(caps.schemas).toBe(engine.dialect.supportsSchemas);
    });

    it("bulk load: reads newline-delimited JSON files exactly when it claims to", () => {
      expect(caps.jsonLinesLoad).toBe(typeof engine.insertFromJsonLines === "function");
    });

    it("backslash escapes and scripts: string literals and unmaterialized assets follow the claims", async () => {
      expect(engine.stringLiteral("a\\b")).toBe(caps.backslashEscapes ? "'a\\\\b'" : "'a\\b'");
      const { adapter, log } = fakeAdapter(type);
      await materializeAsset(adapter, makeAsset("s", { type: assetType, platform: type }), "SELECT 1; SELECT 2");
      expect(log).toEqual(caps.scripts ? ["exec: SELECT 1; SELECT 2"] : ["exec: SELECT 1", "exec: SELECT 2"]);
    });
  });
}
