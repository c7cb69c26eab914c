import { describe, expect, it } from "vitest";
import type { Task } from "@bruin-ts/pipeline";
import { queryAnnotations } from "./query-annotations.js";

const asset = { name: "mart.sales" } as Task["asset"];
const main = { kind: "asset", id: "mart.sales", asset } as Task;
const column = {
  kind: "column-check",
  id: "mart.sales:id:not_null",
  asset,
  column: { name: "id" },
  check: { name: "not_null" },
} as Task;
const custom = { kind: "custom-check", id: "mart.sales:custom-check:rows", asset, check: { name: "rows" } } as Task;

describe("--query-annotations", () => {
  it("is off unless given", () => {
    expect(queryAnnotations(undefined, "p")).toBeUndefined();
    expect(queryAnnotations("  ", "p")).toBeUndefined();
  });

  it("'default': the reference's fields, keys sorted as Go writes a map", () => {
    const annotate = queryAnnotations("default", "shop")!;
    expect(annotate(main)).toBe('-- @bruin.config: {"asset":"mart.sales","pipeline":"shop","type":"main"}\n');
    expect(annotate(column)).toBe(
      '-- @bruin.config: {"asset_name":"mart.sales","column_check_type":"not_null","column_name":"id","pipeline":"shop","type":"column_check"}\n',
    );
    expect(annotate(custom)).toBe('-- @bruin.config: {"asset":"mart.sales","pipeline":"shop","type":"custom_check"}\n');
  });

  it("a JSON object adds its fields, and may override the defaults", () => {
    const annotate = queryAnnotations('{"team": "data", "cost": {"center": 7}, "type": "nightly"}', "shop")!;
    expect(annotate(main)).toBe(
      '-- @bruin.config: {"asset":"mart.sales","cost":{"center":7},"pipeline":"shop","team":"data","type":"nightly"}\n',
    );
  });

  it.each(["{", "[]", "null", "3", '"x"'])("refuses %s", (value) => {
    expect(() => queryAnnotations(value, "p")).toThrow(
      `invalid JSON in --query-annotations: expected 'default' or a JSON object, got '${value}'`,
    );
  });
});
