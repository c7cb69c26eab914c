import { describe, expect, it } from "vitest";
import { PipelineError, SelectionError } from "./errors.js";
import { selectAssets, selectByTags, withDownstream } from "./select.js";
import { makeAsset, makePipeline } from "./test-support/assets.js";

const pipeline = makePipeline([
  makeAsset("raw", { tags: ["ingest"] }),
  makeAsset("stg", { depends: ["raw"], tags: ["core"] }),
  makeAsset("mart", { depends: ["stg"], tags: ["core", "slow"] }),
  makeAsset("other", { tags: ["core"] }),
]);

describe("selection", () => {
  it("takes an asset with everything downstream of it", () => {
    expect(withDownstream(pipeline, "stg").map((a) => a.name)).toEqual(["stg", "mart"]);
    expect(withDownstream(pipeline, "other").map((a) => a.name)).toEqual(["other"]);
  });

  it("selects by tags, excluding tags", () => {
    expect(selectByTags(pipeline.assets, ["core"], ["slow"]).map((a) => a.name)).toEqual(["stg", "other"]);
    expect(selectByTags(pipeline.assets, [], ["core"]).map((a) => a.name)).toEqual(["raw"]);
  });

  const names = (assets: { name: string }[]) => assets.map((a) => a.name);
  const asset = (name: string) => pipeline.assets.find((a) => a.name === name)!;
  const selectionError = (run: () => unknown): SelectionError => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(SelectionError);
      expect((error as SelectionError).exitCode).toBe(2);
      return error as SelectionError;
    }
    throw new Error("expected a SelectionError");
  };

  it("selects everything, one asset, or one asset with its downstream", () => {
    expect(names(selectAssets(pipeline))).toEqual(["raw", "stg", "mart", "other"]);
    expect(names(selectAssets(pipeline, { asset: asset("stg") }))).toEqual(["stg"]);
    expect(names(selectAssets(pipeline, { asset: asset("raw"), downstream: true }))).toEqual(["raw", "stg", "mart"]);
  });

  it("selects by tag and exclude-tag; exclude-tag with a single asset drops only downstream ones", () => {
    expect(names(selectAssets(pipeline, { tags: ["core"], excludeTags: ["slow"] }))).toEqual(["stg", "other"]);
    expect(names(selectAssets(pipeline, { tags: ["ingest", "slow"] }))).toEqual(["raw", "mart"]);
    expect(names(selectAssets(pipeline, { excludeTags: ["core"] }))).toEqual(["raw"]);
    expect(names(selectAssets(pipeline, { asset: asset("stg"), downstream: true, excludeTags: ["core"] }))).toEqual([
      "stg",
    ]);
    expect(names(selectAssets(pipeline, { asset: asset("raw"), downstream: true, excludeTags: ["slow"] }))).toEqual([
      "raw",
      "stg",
    ]);
  });

  it("rejects contradictory flags and tags that select nothing with exit code 2", () => {
    expect(selectionError(() => selectAssets(pipeline, { downstream: true })).message).toMatch(
      /^--downstream can only be used when running a single asset/,
    );
    expect(selectionError(() => selectAssets(pipeline, { asset: asset("raw"), tags: ["core"] })).message).toMatch(
      /^--tag cannot be used when running a single asset/,
    );
    expect(selectionError(() => selectAssets(pipeline, { tags: ["nope"] })).message).toBe(
      "no assets found with tag 'nope' in pipeline 'test'",
    );
    expect(selectionError(() => selectAssets(pipeline, { tags: ["slow"], excludeTags: ["core"] })).message).toBe(
      "every asset with tag 'slow' also has an excluded tag ('core')",
    );
  });

  it("rejects an asset of another pipeline as a pipeline problem (exit code 1)", () => {
    expect(() => selectAssets(pipeline, { asset: makeAsset("elsewhere") })).toThrow(PipelineError);
  });
});
