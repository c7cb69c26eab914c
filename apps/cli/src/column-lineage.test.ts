import { cpSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const FIXTURE = path.join(REPO_ROOT, "apps/cli/src/test-support/lineage-pipeline");

/** A copy of the lineage fixture in a scratch repository. */
function fixture(): { root: string; dir: string } {
  const root = scratchRepo();
  const dir = path.join(root, "lineage-pipeline");
  cpSync(FIXTURE, dir, { recursive: true });
  return { root, dir };
}

/** The output with the scratch folder written as `<root>`, so golden files do not depend on where it ran. */
function portable(stdout: string, root: string): string {
  return `${JSON.stringify(JSON.parse(stdout.replaceAll(root, "<root>")), null, 2)}\n`;
}

interface ColumnDoc {
  name: string;
  type: string;
  description: string;
  primary_key: boolean;
  checks: unknown[];
  upstreams: { column: string; table: string }[];
}
interface AssetDoc {
  name: string;
  upstreams: { value: string; columns: { name: string; usage: string }[] }[];
  columns: ColumnDoc[];
}

function assets(stdout: string): Map<string, AssetDoc> {
  const document = JSON.parse(stdout) as { assets: AssetDoc[] };
  return new Map(document.assets.map((a) => [a.name, a]));
}

/** What the reference's own column-lineage expectation checks of an asset: column upstreams and upstream columns. */
function lineageOf(asset: AssetDoc | undefined) {
  return {
    columns: asset?.columns.map((c) => [c.name, c.type, c.description, c.primary_key, c.upstreams]),
    upstreams: asset?.upstreams.map((u) => [u.value, u.columns.map((c) => c.name)]),
  };
}

describe("bruin internal parse-pipeline -c", () => {
  it("adds each SQL asset's column lineage (golden file)", async () => {
    const { root, dir } = fixture();
    const result = await runBruin(["internal", "parse-pipeline", "-c", dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    await expect(portable(result.stdout, root)).toMatchFileSnapshot("./__golden__/parse-pipeline-lineage.json");
  });

  it("gives the reference's lineage for its parse-lineage-pipeline", async () => {
    const root = scratchRepo();
    const described = (name: string, type: string, description: string, extra = "") =>
      `  - name: ${name}\n    type: ${type}\n    description: ${description}\n${extra}`;
    writeTree(root, {
      "p/pipeline.yml": "name: integration_test\n",
      "p/assets/users.sql": sqlAsset(
        "name: users\ntype: duckdb.sql\nmaterialization:\n  type: table\ncolumns:\n" +
          described("id", "integer", "Just a number", "    primary_key: true\n") +
          described("name", "varchar", "Just a name") +
          described("last_name", "varchar", "Just a last name") +
          described("country", "varchar", "Just a country") +
          described("created_at", "timestamp", "Just a timestamp"),
        "select 1 as id, 'a' as name, 'b' as last_name, 'UK' as country, now() as created_at",
      ),
      "p/assets/country.sql": sqlAsset(
        "type: duckdb.sql\nmaterialization:\n  type: table\ndepends:\n  - users\ncolumns:\n  - name: id\n    type: integer\n    primary_key: true",
        "select\n    id,\n    country\nfrom users\nwhere id > 10000;",
      ),
      "p/assets/people.sql": sqlAsset(
        "type: duckdb.sql\nmaterialization:\n  type: table\ndepends:\n  - users",
        "select\n    id,\n    name,\n    last_name,\n    created_at\nfrom users\nwhere country = 'UK';",
      ),
      "p/assets/example.sql": sqlAsset(
        "name: example\ntype: duckdb.sql\nmaterialization:\n   type: table\ndepends:\n  - country\n  - people",
        "select \n    a.name, \n    a.last_name,\n    a.created_at as updated_at,\n    b.country \nfrom people a \njoin country b on a.id = b.id;",
      ),
    });
    const result = await runBruin(["internal", "parse-pipeline", "--column-lineage", path.join(root, "p")]);
    expect(result.code).toBe(0);
    const byName = assets(result.stdout);
    const up = (column: string, table: string) => [{ column, table }];
    // As integration-tests/test-pipelines/parse-lineage-pipeline/expectations/lineage.json has them.
    expect(lineageOf(byName.get("country"))).toEqual({
      columns: [
        ["id", "integer", "Just a number", true, up("id", "users")],
        ["country", "varchar", "Just a country", false, up("country", "users")],
      ],
      upstreams: [["users", ["id", "country"]]],
    });
    expect(lineageOf(byName.get("people"))).toEqual({
      columns: [
        ["created_at", "timestamp", "Just a timestamp", false, up("created_at", "users")],
        ["id", "integer", "Just a number", false, up("id", "users")],
        ["last_name", "varchar", "Just a last name", false, up("last_name", "users")],
        ["name", "varchar", "Just a name", false, up("name", "users")],
      ],
      upstreams: [["users", ["country", "created_at", "id", "last_name", "name"]]],
    });
    expect(lineageOf(byName.get("example"))).toEqual({
      columns: [
        ["country", "varchar", "Just a country", false, up("country", "country")],
        ["last_name", "varchar", "Just a last name", false, up("last_name", "people")],
        ["name", "varchar", "Just a name", false, up("name", "people")],
        ["updated_at", "timestamp", "Just a timestamp", false, up("created_at", "people")],
      ],
      upstreams: [
        ["country", ["id", "country"]],
        ["people", ["id", "last_name", "name", "created_at"]],
      ],
    });
    // users selects from no table: its declared columns stay as they are.
    expect(byName.get("users")?.columns.map((c) => c.upstreams)).toEqual([[], [], [], [], []]);
  });

  it("leaves the lineage out without -c", async () => {
    const { dir } = fixture();
    const result = await runBruin(["internal", "parse-pipeline", dir]);
    expect(result.code).toBe(0);
    const people = assets(result.stdout).get("people");
    expect(people?.columns).toEqual([]);
    expect(people?.upstreams.map((u) => u.columns)).toEqual([[]]);
  });

  it("leaves an asset whose query does not parse as declared, and still succeeds", async () => {
    const { dir } = fixture();
    const result = await runBruin(["internal", "parse-pipeline", "-c", dir]);
    expect(result.code).toBe(0);
    const broken = assets(result.stdout).get("broken");
    expect(broken?.columns.map((c) => [c.name, c.upstreams])).toEqual([["id", []]]);
    expect(broken?.upstreams.map((u) => u.columns)).toEqual([[]]);
  });
});

describe("bruin internal parse-asset -c", () => {
  it("adds the asset's lineage, its upstreams' found first (golden file)", async () => {
    const { root, dir } = fixture();
    const result = await runBruin(["internal", "parse-asset", "-c", path.join(dir, "assets/example.sql")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(["asset", "pipeline", "repo"]);
    await expect(portable(result.stdout, root)).toMatchFileSnapshot("./__golden__/parse-asset-lineage.json");
  });

  it("lists the assets whose query could not be parsed under lineage_issues, exit 0", async () => {
    const { dir } = fixture();
    const result = await runBruin(["internal", "parse-asset", "-c", path.join(dir, "assets/broken.sql")]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { asset: AssetDoc; lineage_issues: unknown };
    expect(Object.keys(document)).toEqual(["asset", "pipeline", "repo", "lineage_issues"]);
    expect(document.lineage_issues).toEqual([
      { name: "broken", error: "Parse error: unexpected end of input at line 1, column 28" },
    ]);
    expect(document.asset.columns.map((c) => [c.name, c.upstreams])).toEqual([["id", []]]);
  });
});
