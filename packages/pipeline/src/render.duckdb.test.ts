import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

const PIPELINE =
  "name: dated\nvariables:\n  region: {type: string, default: eu}\n  limit: {type: integer, default: 10}\n";

describe("query templating", () => {
  it("renders dates, datetimes, this and var (defaults overridden by run variables)", async () => {
    const query = [
      "SELECT '{{ start_date }}' AS s, '{{ end_date }}' AS e,",
      "  '{{ start_datetime }}' AS sdt, '{{ end_datetime }}' AS edt,",
      "  '{{ this }}' AS me, '{{ var.region }}' AS region, {{ var.limit }} AS lim",
    ].join("\n");
    const p = new DuckDBPipeline(PIPELINE).write({
      "assets/out.sql": sqlAsset("name: stage.out\ntype: duckdb.sql\nmaterialization: {type: table}", query),
    });
    expect((await p.run({ variables: { region: "us" } })).ok).toBe(true);
    expect(await p.rows("SELECT * FROM stage.out")).toEqual([
      {
        s: "2024-03-05",
        e: "2024-03-05",
        sdt: "2024-03-05T00:00:00",
        edt: "2024-03-05T23:59:59",
        me: "stage.out",
        region: "us",
        lim: 10,
      },
    ]);
  });

  it("renders the reference's other built-in variables: nodash dates, execution date, run_id, schema_prefix", async () => {
    const query = [
      "SELECT '{{ start_date_nodash }}' AS sn, '{{ end_date_nodash }}' AS en,",
      "  '{{ execution_date }}' AS xd, '{{ execution_date_nodash }}' AS xn, '{{ execution_datetime }}' AS xdt,",
      "  '{{ execution_timestamp }}' AS xts, '{{ run_id }}' AS run, '{{ schema_prefix }}' AS prefix",
    ].join("\n");
    const p = new DuckDBPipeline(PIPELINE).write({
      "assets/out.sql": sqlAsset("name: stage.out\ntype: duckdb.sql\nmaterialization: {type: table}", query),
      "assets/again.sql": sqlAsset(
        "name: stage.again\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT '{{ run_id }}' AS run",
      ),
    });
    const executionDate = new Date("2024-03-06T01:02:03.456Z");
    expect((await p.run({ code: { runId: "run-42", executionDate } })).ok).toBe(true);
    expect(await p.rows("SELECT * FROM stage.out")).toEqual([
      {
        sn: "20240305",
        en: "20240305",
        xd: "2024-03-06",
        xn: "20240306",
        xdt: "2024-03-06T01:02:03",
        xts: "2024-03-06T01:02:03.456000Z",
        run: "run-42",
        prefix: "",
      },
    ]);
    // Without one given, every asset of a run sees the same generated run_id.
    expect((await p.run()).ok).toBe(true);
    const [out] = await p.rows("SELECT run FROM stage.out");
    const [again] = await p.rows("SELECT run FROM stage.again");
    expect(String(out?.run)).toMatch(/^[0-9a-f-]{36}$/);
    expect(again?.run).toBe(out?.run);
  });

  it("fails the asset on an undefined variable, naming the asset and the line", async () => {
    const p = new DuckDBPipeline(PIPELINE).write({
      "assets/bad.sql": sqlAsset("name: bad\ntype: duckdb.sql", "SELECT 1\nWHERE x = '{{ var.missing }}'"),
      "assets/ok.sql": sqlAsset("name: fine\ntype: duckdb.sql\nmaterialization: {type: view}", "SELECT 1 AS x"),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ bad: "failed", fine: "succeeded" });
    // line 6 of the file: "/* @bruin", 2 header lines, "@bruin */", "SELECT 1", then the WHERE
    expect(errorOf(result, "bad")).toBe(
      `asset 'bad': failed to render the query at ${p.root}/assets/bad.sql:6: undefined value in '{{ var.missing }}'`,
    );
  });

  it("renders commit_hash: the commit of the repository holding the pipeline", async () => {
    const p = new DuckDBPipeline(PIPELINE).write({
      "assets/out.sql": sqlAsset(
        "name: stage.out\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT '{{ commit_hash }}' AS commit",
      ),
    });
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: p.root,
        encoding: "utf8",
      }).trim();
    git("init", "--quiet");
    git("add", ".");
    git("commit", "--quiet", "-m", "pipeline");
    expect((await p.run()).ok).toBe(true);
    expect(await p.rows("SELECT commit FROM stage.out")).toEqual([{ commit: git("rev-parse", "HEAD") }]);
  });

  it("does not expose an asset's parameters, nested or not, to its query (as the reference's context)", async () => {
    const p = new DuckDBPipeline(PIPELINE).write({
      "assets/params.sql": sqlAsset(
        "name: params\ntype: duckdb.sql\nparameters:\n  limits:\n    low: 5\n  flat: x",
        "SELECT {{ parameters.limits.low }} AS low",
      ),
      "assets/flat.sql": sqlAsset("name: flat\ntype: duckdb.sql", "SELECT '{{ flat }}' AS f"),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ params: "failed", flat: "failed" });
    expect(errorOf(result, "params")).toContain("failed to render the query");
    expect(errorOf(result, "flat")).toContain("undefined value in '{{ flat }}'");
  });

  it("reports template syntax errors", async () => {
    const p = new DuckDBPipeline(PIPELINE).write({
      "assets/bad.sql": sqlAsset("name: bad\ntype: duckdb.sql", "SELECT {% if %} 1"),
    });
    const result = await p.run();
    expect(errorOf(result, "bad")).toBe(
      `asset 'bad': failed to render the query at ${p.root}/assets/bad.sql:5: unexpected token: %}`,
    );
  });

  it("renders custom check queries too, failing the check on an undefined variable", async () => {
    const header =
      "name: t\ntype: duckdb.sql\nmaterialization: {type: table}\ncustom_checks:\n  - name: region rows\n    query: SELECT count(*) FROM t WHERE r <> '{{ var.region }}'\n  - name: typo\n    query: SELECT {{ var.regoin }}";
    const p = new DuckDBPipeline(PIPELINE).write({ "assets/t.sql": sqlAsset(header, "SELECT 'eu' AS r") });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      t: "succeeded",
      "t:custom-check:region_rows": "succeeded",
      "t:custom-check:typo": "failed",
    });
    expect(errorOf(result, "t:custom-check:typo")).toBe(
      `asset 't': failed to render the custom check 'typo' at line 1 of it (${p.root}/assets/t.sql): undefined value in '{{ var.regoin }}'`,
    );
  });
});
