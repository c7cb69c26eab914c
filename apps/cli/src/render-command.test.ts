import { cpSync } from "node:fs";
import path from "node:path";
import { openConnection } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { BACKENDS } from "./backends.js";
import { REPO_ROOT, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

const FIXTURE = path.join(REPO_ROOT, "apps/cli/src/test-support/editor-pipeline");

function fixture(): string {
  const dir = path.join(scratchRepo(), "editor-pipeline");
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const ORDERS = "assets/mart/orders.sql";
const CUSTOMERS = "assets/raw.customers.sql";
const DATES = ["--start-date", "2024-01-15", "--end-date", "2024-01-31"];

describe("bruin render", () => {
  it("renders with the run's context: interval, variables, this", async () => {
    const dir = fixture();
    const result = await runBruin(["render", "--raw-query", ...DATES, path.join(dir, ORDERS)]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "SELECT order_id, status, amount, updated_at",
        "FROM raw.customers",
        "WHERE updated_at BETWEEN '2024-01-15' AND '2024-01-31'",
        "  AND 'mart.orders' = 'mart.orders'",
        "  AND env = 'dev'",
        "",
      ].join("\n"),
    );
  });

  it("takes --var as key=value and as a JSON object, over the pipeline's defaults", async () => {
    const dir = fixture();
    const keyValue = await runBruin(["render", "--raw-query", "--var", "env=prod", path.join(dir, ORDERS)]);
    expect(keyValue.stdout).toContain("AND env = 'prod'");
    const json = await runBruin([
      "render",
      "--raw-query",
      "--var",
      '{"users": ["mark", "nicholas"]}',
      path.join(dir, CUSTOMERS),
    ]);
    expect(json.stdout).toContain("SELECT 'mark' AS name UNION ALL");
    expect(json.stdout).toContain("SELECT 'nicholas' AS name");
    expect(json.stdout).not.toContain("jhon");
    const list = await runBruin(["render", "--raw-query", "--var", 'users=["ada"]', path.join(dir, CUSTOMERS)]);
    expect(list.stdout).toContain("SELECT 'ada' AS name");
  });

  it("wraps the query in the statements run executes: the incremental ones, or the rebuild with --full-refresh", async () => {
    const dir = fixture();
    const merge = await runBruin(["render", ...DATES, path.join(dir, ORDERS)]);
    expect(merge.code).toBe(0);
    expect(merge.stdout).toMatch(/^MERGE INTO "mart"\."orders" AS target\nUSING \(\nSELECT order_id/);
    expect(merge.stdout).toContain('ON target."order_id" = source."order_id"');
    expect(merge.stdout).toContain('"amount" = GREATEST(target.amount, source.amount)');
    const rebuild = await runBruin(["render", "--full-refresh", ...DATES, path.join(dir, ORDERS)]);
    expect(rebuild.stdout).toMatch(
      /^CREATE SCHEMA IF NOT EXISTS "mart";\n\nCREATE OR REPLACE TABLE "mart"\."orders" AS\n/,
    );
    expect(rebuild.stdout).not.toContain("MERGE");
    const fromEnv = await runBruin(["render", ...DATES, path.join(dir, ORDERS)], { env: { BRUIN_FULL_REFRESH: "1" } });
    expect(fromEnv.stdout).toBe(rebuild.stdout);
    const view = await runBruin(["render", path.join(dir, CUSTOMERS)]);
    expect(view.stdout).toMatch(
      /^CREATE SCHEMA IF NOT EXISTS "raw";\n\nCREATE OR REPLACE VIEW "raw"\."customers" AS\n/,
    );
  });

  it("asks for the columns when an incremental strategy needs them and the asset declares none", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: p\n",
      "p/assets/ev.sql": sqlAsset(
        "name: ev\ntype: duckdb.sql\nmaterialization:\n  type: table\n  strategy: append",
        "SELECT 1 AS id",
      ),
    });
    const asset = path.join(root, "p/assets/ev.sql");
    const result = await runBruin(["render", asset]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("declare them under 'columns:' (or pass --raw-query or --full-refresh)");
    expect(result.stdout).toBe("");
    expect((await runBruin(["render", "--full-refresh", asset])).stdout).toContain('CREATE OR REPLACE TABLE "ev" AS');
  });

  it("prints statements that build the asset when executed", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: p\n",
      "p/assets/stats.sql": sqlAsset(
        "name: mart.stats\ntype: duckdb.sql\nmaterialization:\n  type: table",
        "SELECT 1 AS n, '{{ start_date }}' AS day",
      ),
    });
    const result = await runBruin(["render", "--start-date", "2024-03-01", path.join(root, "p/assets/stats.sql")]);
    const adapter = await openConnection({
      name: "d",
      type: "duckdb",
      details: { path: path.join(root, "db.duckdb") },
    });
    try {
      await adapter.exec(result.stdout);
      expect((await adapter.query("SELECT n, day FROM mart.stats")).rows).toEqual([{ n: 1, day: "2024-03-01" }]);
    } finally {
      await adapter.close();
    }
  });

  it("gives templates full_refresh, as run does", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml":
        "environments:\n  default:\n    connections:\n      duckdb:\n        - name: duckdb-default\n          path: db.duckdb\n",
      "p/pipeline.yml": "name: p\n",
      "p/assets/mode.sql": sqlAsset(
        "name: mode\ntype: duckdb.sql\nmaterialization:\n  type: table",
        "SELECT '{% if full_refresh %}FULL_REFRESH_MODE{% else %}INCREMENTAL_MODE{% endif %}' AS refresh_mode",
      ),
    });
    const asset = path.join(root, "p/assets/mode.sql");
    expect((await runBruin(["render", "--raw-query", asset])).stdout).toBe(
      "SELECT 'INCREMENTAL_MODE' AS refresh_mode\n",
    );
    expect((await runBruin(["render", "--raw-query", "-r", asset])).stdout).toBe(
      "SELECT 'FULL_REFRESH_MODE' AS refresh_mode\n",
    );
    // The same context in run: the table holds what the render showed.
    expect((await runBruin(["run", "--full-refresh", asset], { cwd: root })).code).toBe(0);
    const adapter = await openConnection({
      name: "d",
      type: "duckdb",
      details: { path: path.join(root, "db.duckdb") },
    });
    try {
      expect((await adapter.query("SELECT refresh_mode FROM mode")).rows).toEqual([
        { refresh_mode: "FULL_REFRESH_MODE" },
      ]);
    } finally {
      await adapter.close();
    }
  });

  it("prints {query} with -o json, as the reference does", async () => {
    const dir = fixture();
    const plain = await runBruin(["render", ...DATES, path.join(dir, ORDERS)]);
    const json = await runBruin(["render", "-o", "json", ...DATES, path.join(dir, ORDERS)]);
    expect(JSON.parse(json.stdout)).toEqual({ query: plain.stdout.replace(/\n$/, "") });
    const raw = await runBruin(["render", "-o", "json", "--raw-query", ...DATES, path.join(dir, ORDERS)]);
    expect((JSON.parse(raw.stdout) as { query: string }).query).toMatch(/^SELECT order_id/);
  });

  it("explains what cannot be rendered", async () => {
    const dir = fixture();
    const python = await runBruin(["render", path.join(dir, "assets/load.py")]);
    expect(python.code).toBe(1);
    expect(python.stderr).toContain("asset 'load_events' is a python asset: only SQL assets have a query to render");
    const folder = await runBruin(["render", dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("is a pipeline; give the path of one asset file to render");
    const badDate = await runBruin(["render", "--start-date", "yesterday", path.join(dir, ORDERS)]);
    expect(badDate.code).toBe(2);
    const jsonError = await runBruin(["render", "-o", "json", "--var", "nope=1", path.join(dir, ORDERS)]);
    expect(jsonError.code).toBe(2);
    expect((JSON.parse(jsonError.stdout) as { error: string }).error).toContain("nope");
    const missing = await runBruin(["render"]);
    expect(missing.code).toBe(2);
  });

  it("never prints a connection's password, and checks the backend flags like run", async () => {
    const root = scratchRepo();
    const password = "s3cr3t-Pa55word-render";
    writeTree(root, {
      ".bruin.yml": [
        "environments:",
        "  default:",
        "    connections:",
        "      postgres:",
        "        - name: pg",
        "          host: 127.0.0.1",
        "          username: postgres",
        `          password: ${password}`,
        "          database: test",
        "",
      ].join("\n"),
      "p/pipeline.yml": "name: p\ndefault_connections:\n  postgres: pg\n",
      "p/assets/users.sql": sqlAsset(
        "name: public.users\ntype: pg.sql\nmaterialization:\n  type: table",
        "SELECT '{{ var.missing }}' AS name",
      ),
      "p/assets/ok.sql": sqlAsset("name: public.ok\ntype: pg.sql\nmaterialization:\n  type: table", "SELECT 1 AS n"),
    });
    const outputs = [
      await runBruin(["render", "--verbose", path.join(root, "p/assets/ok.sql")], { cwd: root }),
      await runBruin(["render", "-o", "json", path.join(root, "p/assets/ok.sql")], { cwd: root }),
      await runBruin(["render", "--verbose", path.join(root, "p/assets/users.sql")], { cwd: root }),
      await runBruin(["render", "--config-file", ".bruin.yml", path.join(root, "p/assets/ok.sql")], { cwd: root }),
    ];
    expect(outputs.map((o) => o.code)).toEqual([0, 0, 1, 0]);
    // The statements run executes on PostgreSQL: build beside, drop, rename, in one transaction.
    expect(outputs[0]!.stdout).toMatch(
      /^CREATE SCHEMA IF NOT EXISTS "public";\n\nCREATE TABLE "public"\."__bruin_tmp_\w+" AS\nSELECT 1 AS n;\n\nDROP TABLE IF EXISTS "public"\."ok";\n\nALTER TABLE "public"\."__bruin_tmp_\w+" RENAME TO "ok";\n$/,
    );
    expect(outputs[2]!.stderr).toContain("var.missing");
    for (const output of outputs) expect(output.all).not.toContain(password);

    const missingConfig = await runBruin(["render", "--config-file", "nope.yml", path.join(root, "p/assets/ok.sql")], {
      cwd: root,
    });
    expect(missingConfig.code).toBe(2);
    expect(missingConfig.stderr).toContain("--config-file 'nope.yml': no such file");
    const unknownBackend = await runBruin(["render", "--secrets-backend", "nope", path.join(root, "p/assets/ok.sql")]);
    expect(unknownBackend.code).toBe(2);
    const envWithEnvironment = await runBruin([
      "render",
      "--secrets-backend",
      "env",
      "--environment",
      "prod",
      path.join(root, "p/assets/ok.sql"),
    ]);
    expect(envWithEnvironment.code).toBe(2);
  });

  it("renders with every secrets backend chosen, opening none of them", async () => {
    const dir = fixture();
    const expected = (await runBruin(["render", "--raw-query", path.join(dir, ORDERS)])).stdout;
    for (const backend of BACKENDS) {
      // No address, token or file of any backend is given: rendering must not need one.
      const flag = await runBruin(["render", "--raw-query", "--secrets-backend", backend.id, path.join(dir, ORDERS)]);
      expect(flag.stderr).toBe("");
      expect(flag.stdout).toBe(expected);
      const variable = await runBruin(["render", "--raw-query", path.join(dir, ORDERS)], {
        env: { BRUIN_SECRETS_BACKEND: backend.id },
      });
      expect(variable.stdout).toBe(expected);
    }
  });
});
