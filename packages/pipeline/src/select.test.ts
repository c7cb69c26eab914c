import { describe, expect, it } from "vitest";
import { selectByTags, withDownstream } from "./select.js";
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
});
