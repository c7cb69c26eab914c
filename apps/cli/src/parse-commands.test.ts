import { createHash } from "node:crypto";
import { cpSync } from "node:fs";
import path from "node:path";
import { connectionsJsonSchema } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const FIXTURE = path.join(REPO_ROOT, "apps/cli/src/test-support/editor-pipeline");

/** A copy of the fixture pipeline in a scratch repository: paths in the output then start with `<root>`. */
function fixture(): { root: string; dir: string } {
  const root = scratchRepo();
  const dir = path.join(root, "editor-pipeline");
  cpSync(FIXTURE, dir, { recursive: true });
  return { root, dir };
}

/** The output with the scratch folder written as `<root>`, so golden files do not depend on where it ran. */
function portable(stdout: string, root: string): string {
  return `${JSON.stringify(JSON.parse(stdout.replaceAll(root, "<root>")), null, 2)}\n`;
}

// The field names, in order, of the reference CLI's documents (its integration expectations for
// `internal parse-pipeline` and `internal parse-asset`). Every object of our output must have exactly these.
const REFERENCE = {
  pipeline: [
    "legacy_id",
    "name",
    "tags",
    "domains",
    "meta",
    "owner",
    "schedule",
    "start_date",
    "definition_file",
    "default_connections",
    "assets",
    "notifications",
    "catchup",
    "metadata_push",
    "retries",
    "concurrency",
    "max_active_steps",
    "commit",
    "snapshot",
    "agent",
    "variables",
    "selected_variant",
    "macros",
  ],
  asset: [
    "id",
    "uri",
    "name",
    "type",
    "description",
    "start_date",
    "connection",
    "tags",
    "domains",
    "meta",
    "materialization",
    "upstreams",
    "image",
    "instance",
    "owner",
    "executable_file",
    "definition_file",
    "parameters",
    "secrets",
    "extends",
    "columns",
    "custom_checks",
    "hooks",
    "metadata",
    "snowflake",
    "athena",
    "interval_modifiers",
    "retries",
  ],
  materialization: ["type", "strategy", "partition_by", "cluster_by", "incremental_key", "time_granularity"],
  upstream: ["type", "value", "columns", "mode"],
  executableFile: ["name", "path", "content"],
  definitionFile: ["name", "path", "type"],
  secret: ["secret_key", "injected_key"],
  column: [
    "entity_attribute",
    "name",
    "source_column",
    "type",
    "description",
    "tags",
    "primary_key",
    "update_on_merge",
    "default",
    "precision",
    "scale",
    "length",
    "collation",
    "foreign_key",
    "merge_sql",
    "nullable",
    "owner",
    "domains",
    "meta",
    "checks",
    "upstreams",
  ],
  check: ["id", "name", "value", "blocking", "description", "retries"],
  notifications: ["slack", "ms_teams", "discord", "webhook", "email"],
  parseAsset: ["asset", "pipeline", "repo"],
};

type Doc = Record<string, unknown>;

function expectAssetShape(asset: Doc): void {
  expect(Object.keys(asset)).toEqual(REFERENCE.asset);
  if (asset.materialization !== null)
    expect(Object.keys(asset.materialization as Doc)).toEqual(REFERENCE.materialization);
  for (const upstream of asset.upstreams as Doc[]) expect(Object.keys(upstream)).toEqual(REFERENCE.upstream);
  expect(Object.keys(asset.executable_file as Doc)).toEqual(REFERENCE.executableFile);
  expect(Object.keys(asset.definition_file as Doc)).toEqual(REFERENCE.definitionFile);
  for (const secret of asset.secrets as Doc[]) expect(Object.keys(secret)).toEqual(REFERENCE.secret);
  for (const column of asset.columns as Doc[]) {
    expect(Object.keys(column)).toEqual(REFERENCE.column);
    for (const check of column.checks as Doc[]) expect(Object.keys(check)).toEqual(REFERENCE.check);
  }
}

describe("bruin internal parse-pipeline", () => {
  it("prints the whole pipeline in the reference's shape (golden file)", async () => {
    const { root, dir } = fixture();
    const result = await runBruin(["internal", "parse-pipeline", dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as Doc;
    // The pipeline has a `default:` block, which the reference prints after `concurrency`.
    expect(Object.keys(document)).toEqual([
      ...REFERENCE.pipeline.slice(0, 16),
      "default",
      ...REFERENCE.pipeline.slice(16),
    ]);
    expect(Object.keys(document.notifications as Doc)).toEqual(REFERENCE.notifications);
    const assets = document.assets as Doc[];
    expect(assets.map((a) => a.name).sort()).toEqual(["load_events", "mart.orders", "raw.customers", "raw_events"]);
    for (const asset of assets) {
      expectAssetShape(asset);
      // As in the reference, parse-pipeline leaves the contents out.
      expect((asset.executable_file as Doc).content).toBe("");
    }
    await expect(portable(result.stdout, root)).toMatchFileSnapshot("./__golden__/parse-pipeline.json");
  });

  it("applies the pipeline's defaults and fills the fields as the reference does", async () => {
    const { dir } = fixture();
    const document = JSON.parse((await runBruin(["internal", "parse-pipeline", dir])).stdout) as Doc;
    const byName = new Map((document.assets as Doc[]).map((a) => [a.name, a]));
    const orders = byName.get("mart.orders")!;
    // The reference's ids: SHA-256 of the asset name, and of `asset-column-check` for a column check.
    expect(orders.id).toBe("de0a9f42af9e60ea0578854d36b2137f4e53a6630536cfc3c2a7ec6bf8bb2b62");
    expect(orders.tags).toEqual(["finance", "nightly"]);
    expect(orders.upstreams).toEqual([
      { type: "asset", value: "raw.customers", columns: [], mode: "full" },
      { type: "asset", value: "raw_events", columns: [], mode: "full" },
    ]);
    expect((orders.definition_file as Doc).type).toBe("comment");
    expect((byName.get("raw_events")!.definition_file as Doc).type).toBe("yaml");
    // Default secrets are merged into code assets, the asset's own first.
    expect(byName.get("load_events")!.secrets).toEqual([
      { secret_key: "events_api", injected_key: "EVENTS_KEY" },
      { secret_key: "warehouse", injected_key: "WAREHOUSE" },
    ]);
    expect(byName.get("raw.customers")!.materialization).toMatchObject({ type: "view", strategy: "" });
    expect(byName.get("load_events")!.materialization).toBeNull();
    expect(document.variables).toMatchObject({ env: { type: "string", default: "dev" } });
  });

  it("takes any file of the pipeline as its path", async () => {
    const { dir } = fixture();
    const fromAsset = await runBruin(["internal", "parse-pipeline", path.join(dir, "assets/load.py")]);
    const fromFolder = await runBruin(["internal", "parse-pipeline", dir]);
    expect(fromAsset.code).toBe(0);
    expect(fromAsset.stdout).toBe(fromFolder.stdout);
  });

  it("prints a parse error as {error} on stdout and exits 1", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: broken\n",
      "p/assets/bad.sql": sqlAsset("name: bad\ntype: duckdb.sql\ncolumns: 12", "SELECT 1"),
    });
    const result = await runBruin(["internal", "parse-pipeline", path.join(root, "p")]);
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stdout) as { error: string };
    expect(error).toContain("bad.sql");
    expect(error).toContain("'columns' must be a list");
  });
});

describe("bruin internal parse-asset", () => {
  it("prints one asset with its content, its pipeline and repository (golden file)", async () => {
    const { root, dir } = fixture();
    const result = await runBruin(["internal", "parse-asset", path.join(dir, "assets/mart/orders.sql")]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as Doc;
    expect(Object.keys(document)).toEqual(REFERENCE.parseAsset);
    expectAssetShape(document.asset as Doc);
    expect(document.pipeline).toEqual({ name: "editor_fixture", schedule: "daily" });
    expect(document.repo).toEqual({ path: root });
    const asset = document.asset as Doc;
    expect((asset.executable_file as Doc).content).toMatch(/^SELECT order_id, status, amount, updated_at\n/);
    const checks = (asset.columns as Doc[])[0]!.checks as Doc[];
    expect(checks[0]!.id).toBe(createHash("sha256").update("mart.orders-order_id-not_null").digest("hex"));
    await expect(portable(result.stdout, root)).toMatchFileSnapshot("./__golden__/parse-asset.json");
  });

  it("prints a whole .asset.yml file as the content of a YAML asset", async () => {
    const { dir } = fixture();
    const result = await runBruin(["internal", "parse-asset", path.join(dir, "assets/raw_events.asset.yml")]);
    const asset = (JSON.parse(result.stdout) as { asset: Doc }).asset;
    expect((asset.executable_file as Doc).content).toContain("source_table: events");
    expect(asset.parameters).toEqual({ source_connection: "events", source_table: "events", destination: "duckdb" });
  });

  it("exits 1 with {error} for a faulty asset", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: broken\n",
      "p/assets/error.sql": sqlAsset("name: error\ntype: duckdb.sql\ndepends: {a: 1}", "SELECT 1"),
    });
    const result = await runBruin(["internal", "parse-asset", path.join(root, "p/assets/error.sql")]);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { error: string }).error).toContain("error.sql");
  });

  it("refuses a pipeline folder, exit 2", async () => {
    const { dir } = fixture();
    expect((await runBruin(["internal", "parse-asset", dir])).code).toBe(2);
  });

  it("with -c, adds no lineage to an asset that is not SQL", async () => {
    const { dir } = fixture();
    const plain = await runBruin(["internal", "parse-asset", path.join(dir, "assets/load.py")]);
    const lineage = await runBruin(["internal", "parse-asset", "-c", path.join(dir, "assets/load.py")]);
    expect(lineage.code).toBe(0);
    expect(lineage.stdout).toBe(plain.stdout);
  });
});

describe("the parse commands and credentials", () => {
  it("read no backend: a connection's password appears nowhere", async () => {
    const { root, dir } = fixture();
    const password = "parse-Pa55word-never-shown";
    writeTree(root, {
      ".bruin.yml": `environments:\n  default:\n    connections:\n      postgres:\n        - name: warehouse\n          host: h\n          username: u\n          password: ${password}\n          database: d\n`,
    });
    for (const args of [
      ["internal", "parse-pipeline", dir],
      ["internal", "parse-asset", path.join(dir, "assets/load.py")],
      ["internal", "connections"],
    ]) {
      const result = await runBruin(args, { cwd: root });
      expect(result.code).toBe(0);
      expect(result.all).not.toContain(password);
    }
  });
});

describe("bruin internal connections", () => {
  it("prints the JSON Schema generated from the connection schemas", async () => {
    const result = await runBruin(["internal", "connections"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(connectionsJsonSchema());
    expect(Object.keys((JSON.parse(result.stdout) as { $defs: Doc }).$defs)).toContain("PostgresConnection");
  });

  it("takes no arguments", async () => {
    expect((await runBruin(["internal", "connections", "extra"])).code).toBe(2);
    expect((await runBruin(["internal", "parse-thing"])).stderr).toContain("Unknown command 'internal parse-thing'");
  });
});
