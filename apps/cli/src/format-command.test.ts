import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatAssetText } from "./format-asset.js";
import { DUCKDB_CONFIG, runBruin, scratchRepo, writeTree } from "./test-support/run-cli.js";

/** A header written carelessly: keys out of order, flow lists, stray blank lines, duplicates and comments. */
const MESSY_SQL = [
  "/* @bruin",
  "# who owns this: the data team",
  "type: duckdb.sql",
  "name: shop.orders   # the table",
  "columns:",
  "",
  "",
  "- checks: [ {name: not_null}, {name: unique} ]",
  "  type: integer",
  "  name: id",
  "- name: amount",
  "  checks: [{name: positive}]",
  "depends: [shop.customers, shop.customers]",
  "tags: [Daily, daily, finance]",
  "materialization: {strategy: create+replace, type: table}",
  "description: |",
  "  Orders,",
  "  one row each.",
  "custom_setting: kept",
  "@bruin */",
  "",
  "",
  "SELECT 1 AS id,   -- the body is left as written",
  "       2.5 AS amount",
  "",
  "",
].join("\n");

const CANONICAL_SQL = [
  "/* @bruin",
  "",
  "name: shop.orders # the table",
  "# who owns this: the data team",
  "type: duckdb.sql",
  "description: |",
  "  Orders,",
  "  one row each.",
  "tags:",
  "  - Daily",
  "  - finance",
  "",
  "materialization:",
  "  type: table",
  "  strategy: create+replace",
  "",
  "depends:",
  "  - shop.customers",
  "",
  "columns:",
  "  - name: id",
  "    type: integer",
  "    checks:",
  "      - name: not_null",
  "      - name: unique",
  "  - name: amount",
  "    checks:",
  "      - name: positive",
  "custom_setting: kept",
  "",
  "@bruin */",
  "",
  "SELECT 1 AS id,   -- the body is left as written",
  "       2.5 AS amount",
  "",
].join("\n");

describe("formatAssetText", () => {
  it("writes a SQL header in the canonical form, keeping comments, list order and the query", () => {
    // Keys inside columns and the materialization are put in the reference's order too; list items keep theirs.
    const result = formatAssetText(MESSY_SQL, "sql");
    expect(result).toEqual({ kind: "formatted", text: CANONICAL_SQL });
  });

  it("is idempotent: the canonical form formats to itself", () => {
    expect(formatAssetText(CANONICAL_SQL, "sql")).toEqual({ kind: "formatted", text: CANONICAL_SQL });
    const python = formatAssetText('""" @bruin\nname: p\ntype: python\ndepends: [a]\n@bruin """\nprint(1)\n', "python");
    expect(python.kind).toBe("formatted");
    const text = python.kind === "formatted" ? python.text : "";
    expect(text).toBe('"""@bruin\n\nname: p\n\ndepends:\n  - a\n\n@bruin"""\n\nprint(1)\n');
    expect(formatAssetText(text, "python")).toEqual({ kind: "formatted", text });
  });

  it("keeps the type of a Python asset that is not plain python, and formats .asset.yml files whole", () => {
    const python = formatAssetText('"""@bruin\ntype: ingestr\nname: x\n@bruin"""\n', "python");
    expect(python).toEqual({ kind: "formatted", text: '"""@bruin\n\nname: x\ntype: ingestr\n\n@bruin"""\n\n' });
    const yaml = formatAssetText("type: duckdb.seed\nname: s\nparameters: {path: s.csv}\n", "yaml");
    expect(yaml).toEqual({ kind: "formatted", text: "name: s\ntype: duckdb.seed\n\nparameters:\n  path: s.csv\n" });
  });

  it("orders the keys of custom checks and column checks as the reference does, unknown keys last", () => {
    const result = formatAssetText(
      [
        "/* @bruin",
        "custom_checks:",
        "  - query: SELECT 1",
        "    extra: kept",
        "    value: 1",
        "    name: one",
        "columns:",
        "  - name: a",
        "    checks:",
        "      - value: [1, 2]",
        "        name: accepted_values",
        "@bruin */",
        "SELECT 1 AS a",
      ].join("\n"),
      "sql",
    );
    expect(result).toEqual({
      kind: "formatted",
      text: [
        "/* @bruin",
        "",
        "columns:",
        "  - name: a",
        "    checks:",
        "      - name: accepted_values",
        "        value:",
        "          - 1",
        "          - 2",
        "",
        "custom_checks:",
        "  - name: one",
        "    value: 1",
        "    query: SELECT 1",
        "    extra: kept",
        "",
        "@bruin */",
        "",
        "SELECT 1 AS a",
        "",
      ].join("\n"),
    });
  });

  it("leaves a file without a header alone and names a broken header", () => {
    expect(formatAssetText("SELECT 1\n", "sql")).toEqual({ kind: "not-asset" });
    expect(formatAssetText("/* @bruin\nname: a\nSELECT 1\n", "sql")).toMatchObject({
      kind: "error",
      message: expect.stringContaining("never closed") as string,
    });
    expect(formatAssetText("/* @bruin\nname: [a\n@bruin */\n", "sql")).toMatchObject({
      kind: "error",
      message: expect.stringContaining("invalid YAML") as string,
    });
    expect(formatAssetText("/* @bruin\n- a\n@bruin */\n", "sql")).toEqual({
      kind: "error",
      message: "the asset header must be a YAML mapping",
    });
  });
});

function messyPipeline(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "shop/pipeline.yml": "name: shop\n",
    "shop/assets/shop.customers.sql":
      "/* @bruin\nname: shop.customers\ntype: duckdb.sql\nmaterialization: {type: table}\n@bruin */\nSELECT 1 AS id\n",
    "shop/assets/orders.sql": MESSY_SQL,
    "shop/assets/notes.sql": "-- not an asset\nSELECT 1\n",
  });
  return path.join(root, "shop");
}

describe("bruin format", () => {
  it("--fail-if-changed changes nothing, names the files and exits 1; after formatting it exits 0", async () => {
    const dir = messyPipeline();
    const before = readFileSync(path.join(dir, "assets/orders.sql"), "utf8");
    const check = await runBruin(["format", "--fail-if-changed", dir], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(
      "failure: some assets need reformatting:\n'assets/orders.sql'\n'assets/shop.customers.sql'\n",
    );
    expect(readFileSync(path.join(dir, "assets/orders.sql"), "utf8")).toBe(before);

    const format = await runBruin(["format", dir], { cwd: dir });
    expect(format).toMatchObject({ code: 0, stdout: "Successfully formatted 2 assets.\n", stderr: "" });
    expect(readFileSync(path.join(dir, "assets/orders.sql"), "utf8")).toBe(CANONICAL_SQL);
    expect(readFileSync(path.join(dir, "assets/notes.sql"), "utf8")).toBe("-- not an asset\nSELECT 1\n");

    // Formatting twice changes nothing.
    const again = await runBruin(["format", dir], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(dir, "assets/orders.sql"), "utf8")).toBe(CANONICAL_SQL);
    const clean = await runBruin(["format", "--fail-if-changed", "."], { cwd: dir });
    expect(clean).toMatchObject({ code: 0, stdout: "success: no asset in '.' needs reformatting\n" });

    // The formatted pipeline still validates.
    const validate = await runBruin(["validate", dir], { cwd: dir });
    expect(validate.all).toContain("Successfully validated 2 assets");
  });

  it("formats one asset file, and checks one with --check (the reference's name of the flag)", async () => {
    const dir = messyPipeline();
    const file = path.join(dir, "assets/orders.sql");
    const check = await runBruin(["format", "--check", file], { cwd: dir });
    expect(check).toMatchObject({ code: 1, stderr: `failure: asset '${file}' needs to be reformatted\n` });
    const format = await runBruin(["format", file], { cwd: dir });
    expect(format).toMatchObject({ code: 0, stdout: "Successfully formatted asset 'assets/orders.sql'\n" });
    const clean = await runBruin(["format", "--fail-if-changed", "assets/orders.sql"], { cwd: dir });
    expect(clean).toMatchObject({ code: 0, stdout: "success: Asset 'assets/orders.sql' doesn't need reformatting\n" });
    // The other asset was not touched.
    expect(readFileSync(path.join(dir, "assets/shop.customers.sql"), "utf8")).toContain("{type: table}");
  });

  it("reports a broken header and a missing path with exit 1, and -o json as JSON", async () => {
    const dir = messyPipeline();
    writeFileSync(path.join(dir, "assets/broken.sql"), "/* @bruin\nname: [oops\n@bruin */\nSELECT 1\n");
    const broken = await runBruin(["format", dir], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("assets/broken.sql: invalid YAML in the asset header");
    const json = await runBruin(["format", "-o", "json", "--fail-if-changed", dir], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      { error: expect.stringContaining("assets/broken.sql: invalid YAML") as string },
    ]);
    const missing = await runBruin(["format", "no/such/place"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("'no/such/place' does not seem to exist");
    const usage = await runBruin(["format", "--fail-if-change", dir], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Did you mean --fail-if-changed?");
  });
});
