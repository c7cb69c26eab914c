import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as lib from "@bruin-ts/pipeline";
import { describe, expect, it } from "vitest";
import { compileCriteria } from "./expression.js";
import { policyProblems, policyViolations } from "./index.js";
import { locatePolicy } from "./locate.js";
import { queryColumns } from "./query-columns.js";

function write(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
}

function asset(header: string, query = "SELECT 1 AS id"): string {
  return `/* @bruin\n${header.trim()}\n@bruin */\n${query}\n`;
}

/** A repository with one pipeline (`p/`), its assets and a policy at the repository root. */
function repo(files: Record<string, string>, policy: string): string {
  const root = mkdtempSync(path.join(tmpdir(), "bruin-policy-"));
  mkdirSync(path.join(root, ".git"));
  write(root, { "policy.yml": policy, ...files });
  return root;
}

async function violations(root: string, target = "p", overrides: Record<string, unknown> = {}) {
  const { pipeline, selectedAsset } = await lib.loadPipeline(path.join(root, target));
  const assets = selectedAsset ? [selectedAsset] : pipeline.assets;
  const variables = lib.resolveVariables(pipeline, overrides);
  return policyViolations({ lib, pipeline, assets, selectedAsset, variables });
}

/** The violations of one built-in rule, applied to every asset and the pipeline. */
async function builtin(rule: string, files: Record<string, string>) {
  const root = repo(files, `rulesets:\n  - name: std\n    rules:\n      - ${rule}\n`);
  return (await violations(root)).map((v) => [v.asset ?? "(pipeline)", v.description]);
}

const PIPELINE = { "p/pipeline.yml": "name: p\n" };

describe("built-in policy rules", () => {
  it("asset-name-is-lowercase", async () => {
    const result = await builtin("asset-name-is-lowercase", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: raw.orders\ntype: duckdb.sql"),
      "p/assets/b.sql": asset("name: raw.Orders2\ntype: duckdb.sql"),
    });
    expect(result).toEqual([["raw.Orders2", "Asset name must be lowercase"]]);
  });

  it("asset-name-is-schema-dot-table", async () => {
    const result = await builtin("asset-name-is-schema-dot-table", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: raw.orders\ntype: duckdb.sql"),
      "p/assets/b.sql": asset("name: orders\ntype: duckdb.sql"),
      "p/assets/c.sql": asset("name: db.raw.items\ntype: duckdb.sql"),
    });
    expect(result).toEqual([
      ["orders", "Asset name must be of the form {schema}.{table}"],
      ["db.raw.items", "Asset name must be of the form {schema}.{table}"],
    ]);
  });

  it("asset-has-description", async () => {
    const result = await builtin("asset-has-description", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ndescription: the orders"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ndescription: '  '"),
    });
    expect(result).toEqual([["b", "Asset must have a description"]]);
  });

  it("asset-has-owner", async () => {
    const result = await builtin("asset-has-owner", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\nowner: data@example.com"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql"),
    });
    expect(result).toEqual([["b", "Asset must have an owner"]]);
  });

  it("asset-has-columns", async () => {
    const result = await builtin("asset-has-columns", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ncolumns:\n  - name: id\n    type: integer"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql"),
    });
    expect(result).toEqual([["b", "Asset must have columns"]]);
  });

  it("asset-has-primary-key", async () => {
    const result = await builtin("asset-has-primary-key", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ncolumns:\n  - name: id\n    primary_key: true"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ncolumns:\n  - name: id"),
      "p/assets/c.sql": asset("name: c\ntype: duckdb.sql"),
    });
    expect(result).toEqual([
      ["b", "Asset must have atleast one primary key"],
      ["c", "Asset must have atleast one primary key"],
    ]);
  });

  it("asset-has-checks: a column check or a custom check", async () => {
    const result = await builtin("asset-has-checks", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ncolumns:\n  - name: id\n    checks:\n      - name: not_null"),
      "p/assets/b.sql": asset(
        "name: b\ntype: duckdb.sql\ncustom_checks:\n  - name: rows\n    query: SELECT 1\n    value: 1",
      ),
      "p/assets/c.sql": asset("name: c\ntype: duckdb.sql\ncolumns:\n  - name: id"),
    });
    expect(result).toEqual([["c", "Asset must have atleast one check"]]);
  });

  it("asset-has-tags", async () => {
    const result = await builtin("asset-has-tags", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ntags: [daily]"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql"),
    });
    expect(result).toEqual([["b", "Asset must have tags"]]);
  });

  it("column-has-description", async () => {
    const result = await builtin("column-has-description", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ncolumns:\n  - name: id\n    description: the key"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ncolumns:\n  - name: id\n    description: key\n  - name: x"),
    });
    expect(result).toEqual([["b", "Column must have a description"]]);
  });

  it("column-has-type", async () => {
    const result = await builtin("column-has-type", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ncolumns:\n  - name: id\n    type: integer"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ncolumns:\n  - name: id"),
    });
    expect(result).toEqual([["b", "Column must have a type"]]);
  });

  it("column-name-is-snake-case", async () => {
    const result = await builtin("column-name-is-snake-case", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ncolumns:\n  - name: order_id\n  - name: total"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ncolumns:\n  - name: orderId"),
    });
    expect(result).toEqual([["b", "Column names must be in snake_case"]]);
  });

  it("column-name-is-camel-case", async () => {
    const result = await builtin("column-name-is-camel-case", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ncolumns:\n  - name: orderId\n  - name: total"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ncolumns:\n  - name: order_id"),
    });
    expect(result).toEqual([["b", "Column names must be in camelCase"]]);
  });

  it("column-type-is-valid-for-platform: BigQuery and Snowflake types, other platforms left alone", async () => {
    const result = await builtin("column-type-is-valid-for-platform", {
      ...PIPELINE,
      "p/assets/a.sql": asset(
        "name: a\ntype: bq.sql\ncolumns:\n  - name: id\n    type: INT64\n  - name: n\n    type: NUMERIC(10, 2)",
      ),
      "p/assets/b.sql": asset("name: b\ntype: bq.sql\ncolumns:\n  - name: id\n    type: varchar"),
      "p/assets/c.sql": asset(
        "name: c\ntype: sf.sql\ncolumns:\n  - name: x\n    type: double precision\n  - name: y\n    type: int64",
      ),
      "p/assets/d.sql": asset("name: d\ntype: duckdb.sql\ncolumns:\n  - name: id\n    type: whatever"),
    });
    expect(result).toEqual([
      ["b", "Column 'id' has invalid type 'varchar' for platform 'BigQuery'"],
      ["c", "Column 'y' has invalid type 'int64' for platform 'Snowflake'"],
    ]);
  });

  it("description-must-not-be-placeholder: the asset's and each column's", async () => {
    const result = await builtin("description-must-not-be-placeholder", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql\ndescription: Orders of the day"),
      "p/assets/b.sql": asset(
        "name: b\ntype: duckdb.sql\ndescription: TODO write this\ncolumns:\n  - name: id\n    description: TBD",
      ),
    });
    expect(result).toEqual([
      ["b", "Asset description appears to contain placeholder text: 'todo'"],
      ["b", "Column 'id' description appears to contain placeholder text: 'tbd'"],
    ]);
  });

  it("asset-has-no-cross-pipeline-dependencies", async () => {
    const result = await builtin("asset-has-no-cross-pipeline-dependencies", {
      ...PIPELINE,
      "p/assets/a.sql": asset("name: a\ntype: duckdb.sql"),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ndepends:\n  - a"),
      "p/assets/c.sql": asset("name: c\ntype: duckdb.sql\ndepends:\n  - uri: other_pipeline.x"),
    });
    expect(result).toEqual([["c", "Asset must not have a cross pipeline dependency"]]);
  });

  it("query-matches-columns: the query's columns must be declared", async () => {
    const result = await builtin("query-matches-columns", {
      ...PIPELINE,
      "p/assets/a.sql": asset(
        "name: a\ntype: duckdb.sql\ncolumns:\n  - name: id\n  - name: total",
        "SELECT o.id, sum(amount) AS total FROM orders o GROUP BY 1",
      ),
      "p/assets/b.sql": asset("name: b\ntype: duckdb.sql\ncolumns:\n  - name: id", "SELECT id, name, 1 AS x FROM t"),
      "p/assets/c.sql": asset("name: c\ntype: duckdb.sql", "SELECT * FROM t"),
    });
    expect(result).toEqual([["b", "Columns found in query but missing from columns metadata: name, x"]]);
  });

  it("pipeline-has-notifications", async () => {
    expect(await builtin("pipeline-has-notifications", { ...PIPELINE })).toEqual([
      ["(pipeline)", "Pipeline must have at least one notification set up"],
    ]);
    const withSlack = { "p/pipeline.yml": "name: p\nnotifications:\n  slack:\n    - channel: '#data'\n" };
    expect(await builtin("pipeline-has-notifications", withSlack)).toEqual([]);
  });

  it("pipeline-has-retries", async () => {
    expect(await builtin("pipeline-has-retries", { "p/pipeline.yml": "name: p\nretries: 0\n" })).toEqual([
      ["(pipeline)", "Pipeline must have `retries` set to a value greater than zero"],
    ]);
    expect(await builtin("pipeline-has-retries", { "p/pipeline.yml": "name: p\nretries: 2\n" })).toEqual([]);
  });

  it("pipeline-has-start-date", async () => {
    expect(await builtin("pipeline-has-start-date", { ...PIPELINE })).toEqual([
      ["(pipeline)", "Pipeline must have a start date"],
    ]);
    expect(await builtin("pipeline-has-start-date", { "p/pipeline.yml": "name: p\nstart_date: 2024-01-01\n" })).toEqual(
      [],
    );
  });

  it("pipeline-has-metadata-push", async () => {
    expect(await builtin("pipeline-has-metadata-push", { ...PIPELINE })).toEqual([
      ["(pipeline)", "Pipeline must have metadata push enabled"],
    ]);
    const pushing = { "p/pipeline.yml": "name: p\nmetadata_push:\n  bigquery: true\n" };
    expect(await builtin("pipeline-has-metadata-push", pushing)).toEqual([]);
  });
});

describe("custom policy rules", () => {
  const files = {
    "p/pipeline.yml": "name: acme_sales\nvariables:\n  env:\n    type: string\n    default: dev\n",
    "p/assets/a.sql": asset("name: mart.sales.orders\ntype: duckdb.sql\nowner: ana\ntags: [critical]"),
    "p/assets/b.sql": asset("name: raw.items\ntype: duckdb.sql\ncolumns:\n  - name: id\n    primary_key: true"),
  };

  it("an asset rule fails the assets whose criteria are false, with the rule's description", async () => {
    const root = repo(
      files,
      `custom_rules:
  - name: asset-has-owner-set
    description: every asset should have an owner
    criteria: asset.Owner != ""
  - name: three-part-name
    description: Asset names must be of the form {layer}.{schema}.{table}
    criteria: len(split(asset.Name, '.')) == 3
    target: asset
rulesets:
  - name: std
    rules: [asset-has-owner-set, three-part-name]
`,
    );
    const found = await violations(root);
    expect(found).toEqual([
      {
        id: "policy:std:asset-has-owner-set",
        ruleset: "std",
        rule: "asset-has-owner-set",
        asset: "raw.items",
        description: "every asset should have an owner",
        context: [],
      },
      {
        id: "policy:std:three-part-name",
        ruleset: "std",
        rule: "three-part-name",
        asset: "raw.items",
        description: "Asset names must be of the form {layer}.{schema}.{table}",
        context: [],
      },
    ]);
  });

  it("a pipeline rule sees the pipeline; criteria see `var`, word operators and list filters", async () => {
    const root = repo(
      files,
      `custom_rules:
  - name: pipeline-prefix
    description: Pipeline names must start with the prefix 'acme'
    criteria: pipeline.Name startsWith 'acme'
    target: pipeline
  - name: pipeline-prefix-beta
    description: Pipeline names must start with the prefix 'beta'
    criteria: pipeline.Name startsWith 'beta'
    target: pipeline
  - name: dev-only
    description: the env variable must be dev
    criteria: var.env == "dev" and not (var.env == "prod")
    target: pipeline
  - name: keyed
    description: a column must be a primary key
    criteria: any(asset.Columns[.PrimaryKey]) or 'critical' in asset.Tags
rulesets:
  - name: std
    rules: [pipeline-prefix, pipeline-prefix-beta, dev-only, keyed]
`,
    );
    expect((await violations(root)).map((v) => `${v.asset ?? "-"}: ${v.id}`)).toEqual([
      "-: policy:std:pipeline-prefix-beta",
    ]);
    expect((await violations(root, "p", { env: "prod" })).map((v) => v.rule)).toEqual([
      "pipeline-prefix-beta",
      "dev-only",
    ]);
  });

  it("criteria read the fields by the reference's Go names", async () => {
    const root = repo(
      {
        "p/pipeline.yml":
          "name: p\nretries: 1\nmetadata_push:\n  bigquery: true\nnotifications:\n  ms_teams:\n    - connection: t\n",
        "p/assets/a.sql": asset(
          "name: a\ntype: duckdb.sql\nmeta:\n  team_name: core\ncolumns:\n  - name: id\n    merge_sql: target.id\n    checks:\n      - name: not_null",
        ),
      },
      `custom_rules:
  - name: fields
    description: the fields read as expected
    criteria: >-
      pipeline.MetadataPush.BigQuery && len(pipeline.Notifications.MSTeams) == 1 && pipeline.Retries == 1 &&
      asset.Meta.team_name == "core" && asset.Columns[0].MergeSQL == "target.id" &&
      asset.Columns[0].Checks[0].Name == "not_null" && asset.Materialization.Type == "" &&
      asset.ExecutableFile.Content == "SELECT 1 AS id" && asset.DefinitionFile.Type == "comment" &&
      pipeline.Assets[0].Name == "a"
rulesets:
  - name: s
    rules: [fields]
`,
    );
    expect(await violations(root)).toEqual([]);
  });

  it("selectors: every predicate must match; asset and tag predicates do not limit pipeline rules", async () => {
    const root = repo(
      files,
      `rulesets:
  - name: critical
    selector:
      - tag: crit
      - path: .*/p/.*
    rules: [asset-has-description, pipeline-has-start-date]
  - name: raw-only
    selector:
      - asset: raw\\..*
      - pipeline: acme_.*
    rules: [asset-has-owner]
  - name: other-pipeline
    selector:
      - pipeline: other
    rules: [asset-has-tags, pipeline-has-retries]
`,
    );
    expect((await violations(root)).map((v) => `${v.asset ?? "-"}: ${v.id}`)).toEqual([
      "mart.sales.orders: policy:critical:asset-has-description",
      "-: policy:critical:pipeline-has-start-date",
      "raw.items: policy:raw-only:asset-has-owner",
    ]);
  });

  it("one asset given: only the asset rules apply, to that asset", async () => {
    const root = repo(files, "rulesets:\n  - name: std\n    rules: [asset-has-owner, pipeline-has-start-date]\n");
    expect((await violations(root, "p/assets/b.sql")).map((v) => `${v.asset ?? "-"}: ${v.id}`)).toEqual([
      "raw.items: policy:std:asset-has-owner",
    ]);
  });

  it("the lines validate and run list name the asset (or pipeline) and the rule", async () => {
    const root = repo(files, "rulesets:\n  - name: std\n    rules: [asset-has-owner, pipeline-has-retries]\n");
    const { pipeline } = await lib.loadPipeline(path.join(root, "p"));
    const lines = await policyProblems({
      lib,
      pipeline,
      assets: pipeline.assets,
      selectedAsset: undefined,
      variables: {},
    });
    expect(lines).toEqual([
      "asset 'raw.items': Asset must have an owner (policy:std:asset-has-owner)",
      "pipeline 'acme_sales': Pipeline must have `retries` set to a value greater than zero (policy:std:pipeline-has-retries)",
    ]);
  });

  it.each([
    ["custom_rules:\n  - description: d\n    criteria: 'true'\n", /invalid rule definition at index 0: Name is empty/],
    ["custom_rules:\n  - name: a_b\n    description: d\n    criteria: 'true'\n", /alphanumeric characters and dash/],
    ["custom_rules:\n  - name: a\n    criteria: 'true'\n", /Description is empty/],
    ["custom_rules:\n  - name: a\n    description: d\n", /Criteria is empty/],
    ["custom_rules:\n  - name: a\n    description: d\n    criteria: 'true'\n    target: column\n", /No such target/],
    [
      "custom_rules:\n  - name: asset-has-owner\n    description: d\n    criteria: 'true'\n",
      /rule is builtin: asset-has-owner/,
    ],
    [
      "custom_rules:\n  - name: a\n    description: d\n    criteria: 'true'\n  - name: a\n    description: d\n    criteria: 'true'\n",
      /duplicate rule: a/,
    ],
    ["custom_rules:\n  - name: a\n    description: d\n    criteria: 'asset.Name =='\n", /error compiling rule: a:/],
    ["rulesets:\n  - name: s\n    rules: [no-such-rule]\n", /no such rule: no-such-rule/],
    ["rulesets:\n  - name: s\n    rules: []\n", /invalid ruleset at index 0: No rules specified/],
    ["rulesets:\n  - rules: [asset-has-owner]\n", /invalid ruleset at index 0: Name is empty/],
    [
      "rulesets:\n  - name: s\n    selector:\n      - owner: x\n    rules: [asset-has-owner]\n",
      /unknown selector key: owner/,
    ],
    ["rulesets: [\n", /error reading policy file/],
  ])("a policy file that cannot be used is an error (%#)", async (policy, message) => {
    const root = repo(files, policy);
    await expect(violations(root)).rejects.toThrow(message);
  });

  it("criteria that do not give a boolean are an error naming the rule", async () => {
    const root = repo(
      files,
      "custom_rules:\n  - name: a\n    description: d\n    criteria: asset.Name\nrulesets:\n  - name: s\n    rules: [a]\n",
    );
    await expect(violations(root)).rejects.toThrow(/error evaluating rule a: expected the criteria to be a boolean/);
  });
});

describe("where the policy file is", () => {
  it("next to the pipeline first, else up to the repository root; outside a repository, next to the pipeline only", () => {
    const root = mkdtempSync(path.join(tmpdir(), "bruin-policy-"));
    mkdirSync(path.join(root, ".git"));
    write(root, {
      "policy.yml": "",
      "group/p/pipeline.yml": "name: p\n",
      "q/pipeline.yml": "name: q\n",
      "q/policy.yaml": "",
    });
    expect(locatePolicy(path.join(root, "group/p"))).toBe(path.join(root, "policy.yml"));
    expect(locatePolicy(path.join(root, "q"))).toBe(path.join(root, "q/policy.yaml"));
    const loose = mkdtempSync(path.join(tmpdir(), "bruin-policy-"));
    write(loose, { "policy.yml": "", "p/pipeline.yml": "name: p\n" });
    expect(locatePolicy(path.join(loose, "p"))).toBeUndefined();
  });

  it("no policy file: no violations", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "bruin-policy-"));
    mkdirSync(path.join(root, ".git"));
    write(root, { ...PIPELINE, "p/assets/a.sql": asset("name: A\ntype: duckdb.sql") });
    expect(await violations(root)).toEqual([]);
  });
});

describe("the columns of a query", () => {
  it.each([
    ["SELECT a, b AS c, t.d, count(*) n, 'x' AS e FROM t", ["a", "c", "d", "n", "e"]],
    ["WITH x AS (SELECT 1 AS z) SELECT DISTINCT x.z, {{ var }} AS v FROM x UNION ALL SELECT 2", ["z", "v"]],
    ["SELECT CASE WHEN a THEN 1 ELSE 0 END AS flag -- note\nFROM t", ["flag"]],
    ['SELECT "Quoted Name", `b` FROM t', ["Quoted Name", "b"]],
  ])("%s", (query, columns) => {
    expect(queryColumns(query)).toEqual(columns);
  });

  it.each(["SELECT * FROM t", "SELECT a + 1 FROM t", "SELECT CASE WHEN a THEN 1 END FROM t", "DELETE FROM t"])(
    "cannot tell: %s",
    (query) => {
      expect(queryColumns(query)).toBeUndefined();
    },
  );
});

describe("criteria expressions", () => {
  const context = {
    asset: {
      Name: "a.b.c",
      Owner: "",
      Tags: ["x", "critical"],
      Meta: { team: "core" },
      Columns: [
        { Name: "id", PrimaryKey: true, Description: "" },
        { Name: "b", PrimaryKey: false, Description: "d" },
      ],
    },
    pipeline: { Name: "acme_x", Retries: 2 },
    var: { env: "prod" },
  };

  it.each([
    ['asset.Owner != ""', false],
    ["pipeline.Name startsWith 'acme'", true],
    ["pipeline.Name endsWith '_x' && pipeline.Name contains 'me'", true],
    ["len(split(asset.Name, '.')) == 3", true],
    ['asset.Owner == "" and len(asset.Tags) > 0', true],
    ["not true or true", true],
    ["not false and false", false],
    ["!(pipeline.Retries > 1) || false", false],
    ["'critical' in asset.Tags", true],
    ["'team' in asset.Meta", true],
    ["any(asset.Columns[.PrimaryKey])", true],
    ['len(asset.Columns[.Description == ""]) == 0', false],
    ["asset.Missing == nil", true],
    ['pipeline.Retries == "2"', false],
    ["asset.Tags == ['x', 'critical']", true],
    ['var.env == "prod" ? pipeline.Retries >= 2 : true', true],
    ['asset.Name matches "^a\\\\.b"', true],
    ["upper(trimPrefix(asset.Name, 'a.')) == 'B.C' and hasSuffix(asset.Name, 'c')", true],
    ["asset.Name | upper() | split('.') | len() == 3", true],
  ])("%s", (source, expected) => {
    expect(compileCriteria(source).evaluate(context)).toBe(expected);
  });

  it("a syntax error fails compiling; a function given the wrong type fails evaluating", () => {
    expect(() => compileCriteria("asset.Name ==")).toThrow();
    expect(() => compileCriteria("len(pipeline.Retries) > 0").evaluate(context)).toThrow(/len expects/);
  });
});
