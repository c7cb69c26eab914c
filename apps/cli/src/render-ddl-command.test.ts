import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const COLUMNS = `columns:
  - name: order_id
    type: integer
    primary_key: true
    description: Unique order ID
  - name: amount
    type: double
    nullable: false
    description: "Order's total"`;

/** A pipeline with one asset per case render-ddl meets. */
function pipeline(): string {
  const root = scratchRepo();
  writeTree(root, {
    "p/pipeline.yml": "name: p\nvariables:\n  env:\n    type: string\n    default: dev\n",
    "p/assets/orders.sql": sqlAsset(
      `name: analytics.orders\ntype: duckdb.sql\nmaterialization:\n  type: table\n  strategy: ddl\n${COLUMNS}`,
      "SELECT 1 AS order_id, 10.5 AS amount",
    ),
    "p/assets/merged.sql": sqlAsset(
      `name: analytics.merged\ntype: pg.sql\nmaterialization:\n  type: table\n  strategy: merge\n${COLUMNS}`,
      "SELECT 1 AS order_id, 10.5 AS amount",
    ),
    "p/assets/untyped.sql": sqlAsset(
      "name: analytics.untyped\ntype: duckdb.sql\nmaterialization:\n  type: table\ncolumns:\n  - name: id",
      "SELECT 1 AS id",
    ),
    "p/assets/view.sql": sqlAsset(
      `name: analytics.v\ntype: duckdb.sql\nmaterialization:\n  type: view\n${COLUMNS}`,
      "SELECT 1 AS order_id, 10.5 AS amount",
    ),
    "p/assets/plain.sql": sqlAsset(
      "name: analytics.plain\ntype: duckdb.sql",
      "SELECT '{{ start_date }}' AS day, '{{ var.env }}' AS env",
    ),
    "p/assets/script.py": '""" @bruin\nname: script\n@bruin """\nprint("hi")\n',
  });
  return path.join(root, "p");
}

const ORDERS_DDL = [
  'CREATE SCHEMA IF NOT EXISTS "analytics";',
  "",
  'CREATE TABLE IF NOT EXISTS "analytics"."orders" (',
  '  "order_id" integer,',
  '  "amount" double NOT NULL,',
  '  PRIMARY KEY ("order_id")',
  ");",
  "",
  `COMMENT ON COLUMN "analytics"."orders"."order_id" IS 'Unique order ID';`,
  "",
  `COMMENT ON COLUMN "analytics"."orders"."amount" IS 'Order''s total';`,
].join("\n");

describe("bruin render-ddl", () => {
  it("prints the CREATE TABLE of a ddl asset from its declared columns", async () => {
    const dir = pipeline();
    const result = await runBruin(["render-ddl", path.join(dir, "assets/orders.sql")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${ORDERS_DDL}\n`);
  });

  it("prints {query} with -o json", async () => {
    const dir = pipeline();
    const result = await runBruin(["render-ddl", "-o", "json", path.join(dir, "assets/orders.sql")]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ query: ORDERS_DDL });
  });

  it("renders a table of another strategy as the ddl strategy would create it, in its engine's SQL", async () => {
    const dir = pipeline();
    const result = await runBruin(["render-ddl", path.join(dir, "assets/merged.sql")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE TABLE IF NOT EXISTS "analytics"."merged" (\n  "order_id" integer,');
    expect(result.stdout).not.toContain("MERGE");
  });

  it("prints the rendered query of an asset without materialization", async () => {
    const dir = pipeline();
    const result = await runBruin([
      "render-ddl",
      "--start-date",
      "2024-03-01",
      "--end-date",
      "2024-03-01",
      "--var",
      "env=prod",
      path.join(dir, "assets/plain.sql"),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("SELECT '2024-03-01' AS day, 'prod' AS env\n");
  });

  it("refuses a view, naming the asset and what it renders (exit 1)", async () => {
    const dir = pipeline();
    const plain = await runBruin(["render-ddl", path.join(dir, "assets/view.sql")]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe("");
    expect(plain.stderr).toContain(
      "asset 'analytics.v': render-ddl renders tables; materialization type 'view' is not supported",
    );
    const json = await runBruin(["render-ddl", "-o", "json", path.join(dir, "assets/view.sql")]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toContain("materialization type 'view' is not supported");
  });

  it("refuses a column without a type, as the ddl strategy does (exit 1)", async () => {
    const dir = pipeline();
    const result = await runBruin(["render-ddl", path.join(dir, "assets/untyped.sql")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("materialization strategy 'ddl' requires a 'type' for column 'id'");
  });

  it("refuses an asset that is not SQL (exit 1)", async () => {
    const dir = pipeline();
    const result = await runBruin(["render-ddl", path.join(dir, "assets/script.py")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/script/);
    expect(result.stdout).toBe("");
  });

  it("is a usage error without a path, or with an unknown output (exit 2)", async () => {
    const missing = await runBruin(["render-ddl"]);
    expect(missing.code).toBe(2);
    const dir = pipeline();
    const output = await runBruin(["render-ddl", "-o", "yaml", path.join(dir, "assets/orders.sql")]);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain("unsupported output 'yaml'");
  });
});
