import { describe, expect, it } from "vitest";
import { buildTasks, connectionNames } from "./graph.js";
import { makeAsset, makePipeline } from "./test-support/assets.js";

describe("connectionNames", () => {
  it("lists each connection the assets need once", () => {
    const assets = [
      makeAsset("a", { connection: "wh" }),
      makeAsset("b", { connection: "duckdb-default" }),
      makeAsset("c", { connection: "wh" }),
    ];
    expect(connectionNames(assets)).toEqual(["duckdb-default", "wh"]);
  });
});

describe("buildTasks", () => {
  const raw = makeAsset("raw", {
    columns: [
      {
        name: "id",
        primaryKey: true,
        updateOnMerge: false,
        checks: [
          { name: "not_null", blocking: true },
          { name: "unique", blocking: false },
        ],
      },
    ],
    customChecks: [{ name: "Row Count OK", query: "SELECT 0", value: 0, blocking: true }],
  });
  const mart = makeAsset("mart", { depends: ["raw"] });

  it("makes asset and check tasks with the reference CLI's ids", () => {
    const tasks = buildTasks(makePipeline([raw, mart]), [raw, mart]);
    expect(tasks.map((t) => [t.id, t.kind, t.upstream])).toEqual([
      ["raw", "asset", []],
      ["raw:id:not_null", "column-check", ["raw"]],
      ["raw:id:unique", "column-check", ["raw"]],
      ["raw:custom-check:row_count_ok", "custom-check", ["raw"]],
      // blocking checks of the upstream hold the asset back; the non-blocking one does not
      ["mart", "asset", ["raw", "raw:id:not_null", "raw:custom-check:row_count_ok"]],
    ]);
    expect(tasks.every((t) => t.assetName === t.asset.name)).toBe(true);
  });

  it("ignores upstreams that are not selected", () => {
    const tasks = buildTasks(makePipeline([raw, mart]), [mart]);
    expect(tasks.map((t) => [t.id, t.upstream])).toEqual([["mart", []]]);
  });

  it("builds only the asset tasks with only: [main]", () => {
    const tasks = buildTasks(makePipeline([raw, mart]), [raw, mart], { only: ["main"] });
    // The upstream's checks are not in the run, so the scheduler does not wait for them.
    expect(tasks.map((t) => [t.id, t.kind])).toEqual([
      ["raw", "asset"],
      ["mart", "asset"],
    ]);
  });

  it("builds only the checks, depending on nothing, with only: [checks]", () => {
    const tasks = buildTasks(makePipeline([raw, mart]), [raw, mart], { only: ["checks"] });
    expect(tasks.map((t) => [t.id, t.upstream])).toEqual([
      ["raw:id:not_null", []],
      ["raw:id:unique", []],
      ["raw:custom-check:row_count_ok", []],
    ]);
  });

  it("builds both for only: [main, checks] and rejects anything else with exit code 2", () => {
    expect(buildTasks(makePipeline([raw]), [raw], { only: ["main", "checks"] })).toHaveLength(4);
    expect(() => buildTasks(makePipeline([raw]), [raw], { only: ["tests" as "main"] })).toThrow(
      expect.objectContaining({ exitCode: 2, message: "--only accepts 'main' and 'checks', not 'tests'" }),
    );
  });
});
