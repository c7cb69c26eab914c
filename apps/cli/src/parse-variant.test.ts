import { describe, expect, it } from "vitest";
import { DUCKDB_CONFIG, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

/** A pipeline with two variants; an asset whose name is made by the variant's variable. */
function project(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": [
      "name: clients",
      "variables:",
      "  client: {type: string, default: client_a}",
      "variants:",
      "  alpha:",
      "    client: alpha",
      "  beta:",
      "    client: beta",
      "",
    ].join("\n"),
    "p/assets/users.sql": sqlAsset(
      'name: "{{ var.client }}_users"\ntype: duckdb.sql\nmaterialization: {type: table}',
      "SELECT '{{ var.client }}' AS client",
    ),
  });
  return root;
}

describe("internal parse-pipeline / parse-asset --variant", () => {
  it("applies the variant's variables, and the asset names they make", async () => {
    const root = project();
    const beta = await runBruin(["internal", "parse-pipeline", "p", "--variant", "beta"], { cwd: root });
    expect(beta.code, beta.all).toBe(0);
    const document = JSON.parse(beta.stdout) as { assets: { name: string }[]; variables: unknown };
    expect(document.assets.map((asset) => asset.name)).toEqual(["beta_users"]);

    const alpha = await runBruin(["internal", "parse-asset", "p/assets/users.sql", "--variant", "alpha"], {
      cwd: root,
    });
    expect(alpha.code, alpha.all).toBe(0);
    expect((JSON.parse(alpha.stdout) as { asset: { name: string } }).asset.name).toBe("alpha_users");

    // Without --variant the defaults apply: parsing, unlike run, does not require one.
    const plain = await runBruin(["internal", "parse-pipeline", "p"], { cwd: root });
    expect(plain.code, plain.all).toBe(0);
    expect((JSON.parse(plain.stdout) as { assets: { name: string }[] }).assets.map((a) => a.name)).toEqual([
      "client_a_users",
    ]);
  });

  it("an unknown variant is an error document naming it", async () => {
    const root = project();
    const result = await runBruin(["internal", "parse-pipeline", "p", "--variant", "gamma"], { cwd: root });
    expect(result.code).not.toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ error: expect.stringContaining("gamma") });
  });
});
