import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const SECRET = "q-s3cr3t-password-value";

/** DuckDB, and PostgreSQL (trust: any password is accepted) whose password must never be printed. */
const CONFIG = [
  "environments:",
  "  default:",
  "    connections:",
  "      duckdb:",
  "        - name: duckdb-default",
  "          path: db.duckdb",
  "      postgres:",
  "        - name: pg",
  "          host: 127.0.0.1",
  "          port: 5432",
  "          username: postgres",
  `          password: ${SECRET}`,
  "          database: test",
  "",
].join("\n");

function project(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": CONFIG,
    "p/pipeline.yml": [
      "name: p",
      "variables:",
      "  region:",
      "    type: string",
      "    default: eu",
      "  limits:",
      "    type: object",
      "    default: { low: 1 }",
      "",
    ].join("\n"),
    "p/assets/shop.orders.sql": sqlAsset(
      "name: shop.orders\ntype: duckdb.sql",
      "SELECT '{{ var.region }}' AS region, '{{ start_date }}' AS day",
    ),
  });
  return root;
}

describe("bruin query flags", () => {
  it("--asset with --query: the asset's connection and template context, the query given", async () => {
    const root = project();
    const result = await runBruin(
      [
        "query",
        "--asset",
        "p/assets/shop.orders.sql",
        "--query",
        "SELECT '{{ this }}' AS this, '{{ var.region }}' AS region, '{{ var.limits.low }}' AS low, '{{ start_date }}' AS day",
        "--var",
        "region=us",
        "--var",
        "limits.low=5",
        "--start-date",
        "2024-03-01",
        "--end-date",
        "2024-03-02",
        "-o",
        "json",
      ],
      { cwd: root },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      columns: [
        { name: "this", type: "VARCHAR" },
        { name: "region", type: "VARCHAR" },
        { name: "low", type: "VARCHAR" },
        { name: "day", type: "VARCHAR" },
      ],
      rows: [["shop.orders", "us", "5", "2024-03-01"]],
      connectionName: "duckdb-default",
      query: "SELECT 'shop.orders' AS this, 'us' AS region, '5' AS low, '2024-03-01' AS day",
    });
    // The asset's own query, with the pipeline's default variable.
    const own = await runBruin(
      ["query", "--asset", "p/assets/shop.orders.sql", "--start-date", "2024-05-05", "-o", "csv"],
      {
        cwd: root,
      },
    );
    expect(own.stdout).toBe("region,day\neu,2024-05-05\n");
  });

  it("--var on a plain --query: flat, dot-nested and JSON values, with the interval's dates", async () => {
    const root = project();
    const result = await runBruin(
      [
        "query",
        "-c",
        "duckdb-default",
        "-q",
        "SELECT '{{ var.name }}' AS n, '{{ var.a.b }}' AS nested, {{ var.obj.count }} AS c, '{{ end_date }}' AS e",
        "--var",
        "name=x",
        "--var",
        "a.b=deep",
        "--var",
        '{"obj": {"count": 3}}',
        "--start-date",
        "2024-01-01",
        "--end-date",
        "2024-01-31",
        "-o",
        "csv",
      ],
      { cwd: root },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("n,nested,c,e\nx,deep,3,2024-01-31\n");
    // Without --var or dates, a query is run exactly as written.
    const literal = await runBruin(["query", "-c", "duckdb-default", "-q", "SELECT '{{ x }}' AS t", "-o", "csv"], {
      cwd: root,
    });
    expect(literal.stdout).toBe("t\n{{ x }}\n");
  });

  it("--pipeline: the pipeline's variables (with --var over them), its name and its config file", async () => {
    const root = project();
    const elsewhere = scratchRepo();
    const result = await runBruin(
      [
        "query",
        "-c",
        "duckdb-default",
        "-q",
        "SELECT '{{ var.region }}' AS region, {{ var.limits.low }} AS low, '{{ pipeline }}' AS p",
        "--pipeline",
        path.join(root, "p"),
        "--var",
        "limits.low=7",
        "-o",
        "csv",
      ],
      { cwd: elsewhere },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("region,low,p\neu,7,p\n");
    // The .bruin.yml found is the pipeline's: the DuckDB file is the one next to it.
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(true);
    expect(existsSync(path.join(elsewhere, "db.duckdb"))).toBe(false);

    const withAsset = await runBruin(
      ["query", "--asset", "p/assets/shop.orders.sql", "--pipeline", "p", "-q", "SELECT 1"],
      { cwd: root },
    );
    expect(withAsset.code).toBe(2);
    expect(withAsset.stderr).toContain("--pipeline goes with --connection and --query");
    const assetAsPipeline = await runBruin(
      ["query", "-c", "duckdb-default", "-q", "SELECT 1", "--pipeline", "p/assets/shop.orders.sql"],
      { cwd: root },
    );
    expect(assetAsPipeline.code).toBe(2);
    expect(assetAsPipeline.stderr).toContain("--pipeline needs a pipeline folder or pipeline.yml");
  });

  it("the semantic-layer flags are refused as not supported yet, exit 2, before anything is opened", async () => {
    const root = project();
    const result = await runBruin(
      ["query", "-c", "duckdb-default", "--semantic-model", "orders", "--metric", "revenue", "--dimension", "country"],
      { cwd: root },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "the semantic layer (--semantic-model, --dimension, --metric) is not supported yet",
    );
    expect(result.stdout).toBe("");
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
  });

  it("--export writes CSV, split every --split-rows rows, each file with the header", async () => {
    const root = project();
    const result = await runBruin(
      [
        "query",
        "-c",
        "duckdb-default",
        "-q",
        "SELECT range AS n FROM range(5)",
        "--export",
        "out.csv",
        "--split-rows",
        "2",
      ],
      { cwd: root },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Exported 5 rows to out_1.csv, out_2.csv, out_3.csv\n");
    expect(readFileSync(path.join(root, "out_1.csv"), "utf8")).toBe("n\n0\n1\n");
    expect(readFileSync(path.join(root, "out_3.csv"), "utf8")).toBe("n\n4\n");
    expect(existsSync(path.join(root, "out.csv"))).toBe(false);
    const whole = await runBruin(
      ["query", "-c", "duckdb-default", "-q", "SELECT 1 AS a, 'x,y' AS b", "--export", "all.csv"],
      {
        cwd: root,
      },
    );
    expect(whole.stdout).toBe("Exported 1 row to all.csv\n");
    expect(readFileSync(path.join(root, "all.csv"), "utf8")).toBe('a,b\n1,"x,y"\n');
  });

  it("--timeout cancels a query on its engine and exits 1", async () => {
    const root = project();
    const started = Date.now();
    const result = await runBruin(
      ["query", "-c", "duckdb-default", "-q", "SELECT count(*) FROM range(1000000000000)", "--timeout", "0.5"],
      { cwd: root },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("did not finish within --timeout 0.5s and was cancelled");
    expect(Date.now() - started).toBeLessThan(20_000);
    const quick = await runBruin(["query", "-c", "duckdb-default", "-q", "SELECT 1 AS one", "--timeout", "30"], {
      cwd: root,
    });
    expect(quick.code).toBe(0);
  }, 30_000);

  it("prints no secret of the connection it opens, in any output", async () => {
    const root = project();
    const outputs = await Promise.all(
      ["plain", "json", "csv"].map((output) =>
        runBruin(["query", "-c", "pg", "-q", "SELECT current_database()::text AS db", "-o", output], { cwd: root }),
      ),
    );
    for (const result of outputs) {
      expect(result.code, result.all).toBe(0);
      expect(result.all).not.toContain(SECRET);
    }
    expect(JSON.parse(outputs[1]?.stdout ?? "")).toMatchObject({
      columns: [{ name: "db", type: "TEXT" }],
      rows: [["test"]],
      connectionName: "pg",
    });
    // Even when the query itself names it, the secret is masked in the echoed query and the rows.
    const echoed = await runBruin(["query", "-c", "pg", "-q", `SELECT '${SECRET}' AS leaked`, "-o", "json"], {
      cwd: root,
    });
    expect(echoed.all).not.toContain(SECRET);
    const failing = await runBruin(["query", "-c", "pg", "-q", "SELECT * FROM no_such_table", "--timeout", "5"], {
      cwd: root,
    });
    expect(failing.code).toBe(1);
    expect(failing.all).not.toContain(SECRET);
  });
});
