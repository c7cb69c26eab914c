import path from "node:path";
import { describe, expect, it } from "vitest";
import { readDuckDB, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

/**
 * `${VAR}` in `.bruin.yml` is expanded only for the connections a run uses:
 * an unset variable in a connection nobody uses changes nothing, in one the
 * run needs it stops the run before any asset, naming the variable.
 */
const UNSET = "BRUIN_TEST_UNSET_PASSWORD_VAR";

function project(): string {
  const root = scratchRepo("bruin-expand-");
  writeTree(root, {
    ".bruin.yml": [
      "environments:",
      "  default:",
      "    connections:",
      "      duckdb:",
      "        - name: duckdb-default",
      "          path: ${BRUIN_TEST_DB_DIR}/local.duckdb",
      "      postgres:",
      "        - name: warehouse",
      "          host: localhost",
      "          username: app",
      `          password: \${${UNSET}}`,
      "          database: analytics",
    ].join("\n"),
    "p/pipeline.yml": "name: expand\n",
    "p/assets/local.sql": sqlAsset("name: local\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 7 AS n"),
  });
  return root;
}

describe("${VAR} in .bruin.yml", () => {
  it("an unset variable in a connection the run does not use does not fail it; a set one is expanded", async () => {
    const root = project();
    const result = await runBruin(["run", path.join(root, "p")], { env: { BRUIN_TEST_DB_DIR: root } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await readDuckDB(path.join(root, "local.duckdb"), "SELECT n FROM local")).toEqual([{ n: 7 }]);
  });

  it("validate and query on the used connection are not failed by it either", async () => {
    const root = project();
    const env = { BRUIN_TEST_DB_DIR: root };
    expect((await runBruin(["validate", path.join(root, "p")], { env })).code).toBe(0);
    const query = await runBruin(["query", "-c", "duckdb-default", "-q", "SELECT 1 AS one", "-o", "json"], {
      cwd: root,
      env,
    });
    expect(query.code).toBe(0);
  });

  it("an unset variable in a connection the run uses stops it before any asset, naming the variable", async () => {
    const root = project();
    writeTree(root, {
      "p/assets/remote.sql": sqlAsset(
        "name: remote\ntype: pg.sql\nconnection: warehouse\nmaterialization: {type: table}",
        "SELECT 1 AS n",
      ),
    });
    const result = await runBruin(["run", path.join(root, "p")], { env: { BRUIN_TEST_DB_DIR: root } });
    expect(result.code).toBe(2);
    expect(result.all).toContain(UNSET);
    expect(result.all).toContain("warehouse");
    expect(result.stdout).not.toContain("Running:");
  });

  it("an unset variable in the used duckdb path stops the run, naming it", async () => {
    const root = project();
    const result = await runBruin(["run", path.join(root, "p")]);
    expect(result.code).toBe(2);
    expect(result.all).toContain("BRUIN_TEST_DB_DIR");
    expect(result.stdout).not.toContain("Running:");
  });

  it("connections test of the connection holding it fails naming the variable; of another one succeeds", async () => {
    const root = project();
    const env = { BRUIN_TEST_DB_DIR: root };
    const bad = await runBruin(["connections", "test", "warehouse"], { cwd: root, env });
    expect(bad.code).toBe(2);
    expect(bad.all).toContain(UNSET);
    const good = await runBruin(["connections", "test", "duckdb-default"], { cwd: root, env });
    expect(good.code).toBe(0);
  });
});
