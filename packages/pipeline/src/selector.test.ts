import { describe, expect, it } from "vitest";
import { SelectionError } from "./errors.js";
import { selectAssets } from "./select.js";
import { evaluateSelector } from "./selector.js";
import { makeAsset, makePipeline } from "./test-support/assets.js";

/**
 *   raw_a ─┐
 *          ├─ stg ── mart ── report
 *   raw_b ─┘     └── side
 *   lonely
 */
const pipeline = makePipeline(
  [
    makeAsset("raw_a", { tags: ["ingest", "team_a"], path: "/repo/p/assets/raw/a.sql" }),
    makeAsset("raw_b", { tags: ["ingest", "team_b"], path: "/repo/p/assets/raw/b.py" }),
    makeAsset("stg", { depends: ["raw_a", "raw_b"], tags: ["core"], path: "/repo/p/assets/stg.sql" }),
    makeAsset("mart", {
      depends: ["stg", "external.table"],
      tags: ["core", "daily"],
      path: "/repo/p/assets/mart/m.sql",
    }),
    makeAsset("report", { depends: ["mart"], tags: ["daily"], path: "/repo/p/assets/mart/report.sql" }),
    makeAsset("side", { depends: ["stg"], path: "/repo/p/assets/side.sql" }),
    makeAsset("lonely", { tags: ["team_a"], path: "/repo/p/lonely.sql" }),
  ],
  { dir: "/repo/p", file: "/repo/p/pipeline.yml" },
);

const select = (expression: string, cwd?: string) =>
  evaluateSelector(pipeline, expression, cwd ? { cwd } : {}).map((a) => a.name);

describe("--selector matrix", () => {
  it.each([
    // methods
    ["tag:core", ["stg", "mart"]],
    ["tag:team_*", ["raw_a", "raw_b", "lonely"]],
    ["tag:team_?", ["raw_a", "raw_b", "lonely"]],
    ["tag:nope", []],
    ["fqn:mart", ["mart"]],
    ["fqn:raw_*", ["raw_a", "raw_b"]],
    ["mart", ["mart"]],
    ["raw_*", ["raw_a", "raw_b"]],
    ["file:m.sql", ["mart"]],
    ["file:*.py", ["raw_b"]],
    ["path:assets/mart", ["mart", "report"]],
    ["path:assets/mart/", ["mart", "report"]],
    ["path:./assets/raw/a.sql", ["raw_a"]],
    ["path:p/assets/raw", ["raw_a", "raw_b"]],
    ["path:/repo/p/lonely.sql", ["lonely"]],
    ["path:assets/*.sql", ["stg", "side"]],
    ["path:assets/**/*.sql", ["raw_a", "mart", "report"]],
    ["path:assets/**.sql", ["raw_a", "stg", "mart", "report", "side"]],
    ["assets/mart", ["mart", "report"]],
    // graph operators
    ["+mart", ["raw_a", "raw_b", "stg", "mart"]],
    ["1+mart", ["stg", "mart"]],
    ["2+mart", ["raw_a", "raw_b", "stg", "mart"]],
    ["stg+", ["stg", "mart", "report", "side"]],
    ["stg+1", ["stg", "mart", "side"]],
    ["+stg+", ["raw_a", "raw_b", "stg", "mart", "report", "side"]],
    ["1+stg+1", ["raw_a", "raw_b", "stg", "mart", "side"]],
    ["+tag:daily", ["raw_a", "raw_b", "stg", "mart", "report"]],
    ["tag:ingest+", ["raw_a", "raw_b", "stg", "mart", "report", "side"]],
    ["@raw_a", ["raw_a", "raw_b", "stg", "mart", "report", "side"]],
    ["@mart", ["raw_a", "raw_b", "stg", "mart", "report"]],
    ["@lonely", ["lonely"]],
    ["0+mart+0", ["mart"]],
    // union (space) and intersection (comma)
    ["mart side", ["mart", "side"]],
    ["tag:daily   lonely", ["mart", "report", "lonely"]],
    ["tag:core,tag:daily", ["mart"]],
    ["tag:team_a,path:assets", ["raw_a"]],
    ["stg+,tag:daily", ["mart", "report"]],
    ["+report,tag:ingest", ["raw_a", "raw_b"]],
    ["tag:core,tag:ingest", []],
    ["tag:core,tag:daily lonely", ["mart", "lonely"]],
  ])("%s", (expression, expected) => {
    expect(select(expression)).toEqual(expected);
  });

  it("reads path: relative to the folder it was typed in", () => {
    expect(select("path:mart", "/repo/p/assets")).toEqual(["mart", "report"]);
    expect(select("path:../lonely.sql", "/repo/p/assets")).toEqual(["lonely"]);
  });

  it.each([
    ["", "--selector needs an expression"],
    ["   ", "--selector needs an expression"],
    ["owner:me", "invalid selector 'owner:me': unknown method 'owner:'; possible: tag, path, file, fqn"],
    ["tag:", "invalid selector 'tag:': nothing to select"],
    ["+", "invalid selector '+': nothing to select"],
    ["@+mart", "invalid selector '@+mart': '@' and a leading '+' cannot be combined"],
    ["@mart+", "invalid selector '@mart+': '@' and a trailing '+' cannot be combined"],
  ])("refuses %j with exit code 2", (expression, message) => {
    let error: unknown;
    try {
      evaluateSelector(pipeline, expression);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SelectionError);
    expect((error as SelectionError).exitCode).toBe(2);
    expect((error as Error).message).toContain(message);
  });
});

describe("selectAssets with --selector, --modified and --downstream", () => {
  const names = (assets: { name: string }[]) => assets.map((a) => a.name);

  it("a selector that matches nothing is an error naming it", () => {
    expect(() => selectAssets(pipeline, { selector: "tag:nope" })).toThrow(
      "no assets found with selector 'tag:nope' in pipeline 'test'",
    );
  });

  it("combines with --tag (intersection), --exclude-tag and --downstream", () => {
    expect(names(selectAssets(pipeline, { selector: "+mart", tags: ["ingest"] }))).toEqual(["raw_a", "raw_b"]);
    expect(names(selectAssets(pipeline, { selector: "+mart", excludeTags: ["ingest"] }))).toEqual(["stg", "mart"]);
    expect(names(selectAssets(pipeline, { selector: "stg", downstream: true }))).toEqual([
      "stg",
      "mart",
      "report",
      "side",
    ]);
    expect(names(selectAssets(pipeline, { tags: ["daily"], downstream: true }))).toEqual(["mart", "report"]);
    expect(names(selectAssets(pipeline, { tags: ["ingest"], downstream: true, excludeTags: ["daily"] }))).toEqual([
      "raw_a",
      "raw_b",
      "stg",
      "side",
    ]);
  });

  it("--modified keeps the assets whose files changed; with --downstream also what depends on them", () => {
    const changed = ["/repo/p/assets/stg.sql", "/repo/p/README.md"];
    expect(names(selectAssets(pipeline, { modifiedFiles: changed }))).toEqual(["stg"]);
    expect(names(selectAssets(pipeline, { modifiedFiles: changed, downstream: true }))).toEqual([
      "stg",
      "mart",
      "report",
      "side",
    ]);
    expect(names(selectAssets(pipeline, { modifiedFiles: [] }))).toEqual([]);
    expect(names(selectAssets(pipeline, { modifiedFiles: changed, selector: "tag:daily", downstream: true }))).toEqual(
      [],
    );
  });

  it("refuses --selector and --modified with a single asset", () => {
    const stg = pipeline.assets.find((a) => a.name === "stg")!;
    expect(() => selectAssets(pipeline, { asset: stg, selector: "mart" })).toThrow(SelectionError);
    expect(() => selectAssets(pipeline, { asset: stg, modifiedFiles: [] })).toThrow(SelectionError);
  });
});
