import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildTasks, loadPipeline } from "@bruin-ts/pipeline";
// The bench is plain .mjs (it runs on the built packages), untyped here.
import { loadedPackages } from "./modules.mjs";
import { packageOf } from "./processes.mjs";
import { assetName, generatePipeline } from "./scale/generate.mjs";
import { median } from "./stats.mjs";
import { renderTable } from "./table.mjs";

describe("bench helpers", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("takes the median of odd and even counts", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("names the package a module file comes from, scoped or not, through the pnpm store", () => {
    expect(packageOf("/r/node_modules/.pnpm/@duckdb+node-api@1.5.6/node_modules/@duckdb/node-api/lib/index.js")).toBe(
      "@duckdb/node-api",
    );
    expect(packageOf("/r/node_modules/.pnpm/pg@8.16.0/node_modules/pg/lib/index.js")).toBe("pg");
    expect(packageOf("/r/packages/pipeline/dist/index.js")).toBeUndefined();
    const packages = loadedPackages([
      "/r/node_modules/yaml/a.js",
      "/r/node_modules/yaml/b.js",
      "/r/node_modules/pg/c.js",
      "/r/apps/x.js",
    ]);
    expect([...packages]).toEqual([
      ["yaml", 2],
      ["pg", 1],
    ]);
  });

  it("marks missed targets in the table", () => {
    const text = renderTable([
      {
        title: "S",
        rows: [
          { figure: "fast", value: "1 ms", target: "< 2 ms", met: true },
          { figure: "slow", value: "3 ms", target: "< 2 ms", met: false },
        ],
      },
    ]);
    expect(text).toMatch(/fast\s+1 ms\s+< 2 ms\s+met/);
    expect(text).toMatch(/slow\s+3 ms\s+< 2 ms\s+MISSED/);
  });

  it("generates a layered pipeline that loads, with one unqualified view per asset in dependency order", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "bench-generate-"));
    const statements: string[] = generatePipeline(dir, { layers: 3, width: 4 });
    const { pipeline } = await loadPipeline(dir);
    expect(pipeline.assets).toHaveLength(12);
    expect(buildTasks(pipeline, pipeline.assets)).toHaveLength(12);
    // Each asset past the first layer joins one of the layer before with one of the first layer.
    const last = pipeline.assets.find((asset) => asset.name === assetName(2, 3));
    expect(last?.depends).toEqual([assetName(1, 3), assetName(0, 0)]);
    expect(statements).toHaveLength(12);
    expect(statements.every((s) => /^CREATE OR REPLACE VIEW layer_\d\d_asset_\d{3} AS\n/.test(s))).toBe(true);
    const viewOf = (name: string) => statements.findIndex((s) => s.startsWith(`CREATE OR REPLACE VIEW ${name} AS`));
    expect(viewOf(assetName(2, 3))).toBeGreaterThan(viewOf(assetName(1, 3)));
    expect(viewOf(assetName(1, 0))).toBeGreaterThan(viewOf(assetName(0, 1)));
  });
});
