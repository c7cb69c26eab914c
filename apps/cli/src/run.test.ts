import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  DUCKDB_CONFIG,
  copyQuickstart,
  readDuckDB,
  runBruin,
  scratchRepo,
  sqlAsset,
  writeTree,
} from "./test-support/run-cli.js";

const readRows = readDuckDB;

describe("bruin run on DuckDB with .bruin.yml", () => {
  it("runs the quick start end to end and builds its tables", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["run", dir, "--start-date", "2024-01-01", "--end-date", "2024-01-01"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Analyzed the pipeline 'quickstart' with 5 assets.");
    // A date alone as --end-date is 00:00:00 of that day, as the reference reads it.
    expect(result.stdout).toContain("Interval: 2024-01-01T00:00:00Z - 2024-01-01T00:00:00Z");
    expect(result.stdout).toMatch(/\] Running:  raw\.orders\n/);
    expect(result.stdout).toMatch(/\] Finished: mart\.revenue_by_country \(\d+\.\d\ds\)/);
    expect(result.stdout).toMatch(/^PASS mart\.revenue_by_country \.\.\.\.$/m);
    expect(result.stdout).toMatch(/^PASS staging\.orders_enriched$/m);
    expect(result.stdout).toMatch(/bruin run completed successfully in /);
    expect(result.stdout).toMatch(/✓ Assets executed\s+5 succeeded/);
    // The Python asset read its key from the `generic` connection; bruin printed it masked.
    expect(result.stdout).toContain("[raw.exchange_rates] >> fetching the rates of 2024-01-01 with key ****");
    expect(result.stdout).not.toContain("demo-rates-key-4f1c9e");
    expect(result.stdout).toMatch(/^PASS raw\.exchange_rates \.\.\.$/m);
    expect(
      await readRows(
        path.join(dir, "data", "quickstart.duckdb"),
        "SELECT currency, rate_to_eur, as_of FROM raw.exchange_rates ORDER BY currency",
      ),
    ).toEqual([
      { currency: "CHF", rate_to_eur: 1.05, as_of: "2024-01-01" },
      { currency: "EUR", rate_to_eur: 1, as_of: "2024-01-01" },
      { currency: "GBP", rate_to_eur: 1.17, as_of: "2024-01-01" },
      { currency: "USD", rate_to_eur: 0.92, as_of: "2024-01-01" },
    ]);

    const rows = await readRows(
      path.join(dir, "data", "quickstart.duckdb"),
      "SELECT country, revenue, orders FROM mart.revenue_by_country ORDER BY country",
    );
    expect(rows).toEqual([
      { country: "DE", revenue: 120, orders: 1 },
      { country: "FR", revenue: 99.99, orders: 1 },
      { country: "NL", revenue: 210, orders: 1 },
      { country: "US", revenue: 121.5, orders: 3 },
    ]);
  });

  it("fails a check's asset, skips its downstream, runs independent branches and exits 1", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: checks\n",
      "p/assets/bad.sql": sqlAsset(
        "name: bad\ntype: duckdb.sql\nmaterialization: {type: table}\ncolumns:\n  - name: id\n    checks: [{name: not_null}]",
        "SELECT * FROM (VALUES (1), (NULL)) t(id)",
      ),
      "p/assets/after_bad.sql": sqlAsset(
        "name: after_bad\ntype: duckdb.sql\ndepends: [bad]\nmaterialization: {type: table}",
        "SELECT 1 AS x",
      ),
      "p/assets/independent.sql": sqlAsset(
        "name: independent\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT 2 AS y",
      ),
    });
    const result = await runBruin(["run", path.join(root, "p")]);
    expect(result.code).toBe(1);
    // The asset itself was built; its check failed.
    expect(result.stdout).toMatch(/^CHECKS FAILED bad F$/m);
    expect(result.stdout).toMatch(/^UPSTREAM FAILED after_bad$/m);
    expect(result.stdout).toMatch(/^PASS independent$/m);
    expect(result.stdout).not.toMatch(/Running:  after_bad/);
    expect(result.stdout).toContain("bruin run completed with failures in");
    const tables = await readRows(
      path.join(root, "db.duckdb"),
      "SELECT table_name FROM information_schema.tables ORDER BY 1",
    );
    expect(tables.map((row) => row.table_name)).toEqual(["bad", "independent"]);
  });

  it("stops before any asset on an invalid connection, naming it and the field, without the password", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": [
        "environments:",
        "  default:",
        "    connections:",
        "      postgres:",
        "        - name: warehouse",
        "          host: localhost",
        '          port: "abc"',
        "          username: app",
        "          password: Sup3r-Secret-Pw",
        "          database: analytics",
        "      duckdb:",
        "        - name: duckdb-default",
        "          path: db.duckdb",
      ].join("\n"),
      "p/pipeline.yml": "name: broken\n",
      "p/assets/local.sql": sqlAsset("name: local\ntype: duckdb.sql\nmaterialization: {type: table}", "SELECT 1 AS x"),
      "p/assets/remote.sql": sqlAsset(
        "name: remote\ntype: pg.sql\nconnection: warehouse\nmaterialization: {type: table}",
        "SELECT 1 AS x",
      ),
    });
    const result = await runBruin(["run", path.join(root, "p")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("warehouse");
    expect(result.stderr).toContain("port");
    expect(result.all).not.toContain("Sup3r-Secret-Pw");
    expect(result.stdout).not.toContain("Running:");
  });

  it("leaves the previous table intact when a create+replace query fails", async () => {
    const root = scratchRepo();
    const asset = (query: string) =>
      sqlAsset("name: facts.numbers\ntype: duckdb.sql\nmaterialization: {type: table}", query);
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: replace\n",
      "p/assets/numbers.sql": asset("SELECT * FROM (VALUES (1), (2), (3)) t(n)"),
    });
    expect((await runBruin(["run", path.join(root, "p")])).code).toBe(0);
    writeTree(root, { "p/assets/numbers.sql": asset("SELECT n / 0 AS n, error('boom') FROM (VALUES (1)) t(n)") });
    const failed = await runBruin(["run", path.join(root, "p")]);
    expect(failed.code).toBe(1);
    expect(await readRows(path.join(root, "db.duckdb"), "SELECT n FROM facts.numbers ORDER BY n")).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
  });
});

describe("bruin command line", () => {
  it("rejects an unknown secrets backend with exit code 2, listing the possible ones", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["run", dir, "--secrets-backend", "keepass"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'unsupported secrets backend "keepass"; possible values: file, infisical, env, vault, doppler',
    );
    expect(result.stdout).not.toContain("Running:");
  });

  it("takes the backend from BRUIN_SECRETS_BACKEND", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["run", dir], { env: { BRUIN_SECRETS_BACKEND: "nope" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unsupported secrets backend "nope"');
  });

  it("rejects an unknown environment listing the known ones", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["run", dir, "--env", "prod"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("environment 'prod' not found in the configuration file");
    expect(result.stderr).toContain("Available environments: default");
  });

  it("rejects an interval that ends before it starts, and a malformed date", async () => {
    const dir = copyQuickstart();
    const backwards = await runBruin(["run", dir, "--start-date", "2024-02-01", "--end-date", "2024-01-01"]);
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toContain(
      "Start date cannot be after end date. Given start date: 2024-02-01 00:00:00, end date: 2024-01-01 00:00:00",
    );
    const malformed = await runBruin(["run", dir, "--start-date", "yesterday"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("invalid --start-date 'yesterday'");
  });

  it("prints the version and help, and exits 2 on an unknown flag", async () => {
    const version = await runBruin(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runBruin(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--secrets-backend");
    expect(help.stdout).toContain("BRUIN_INFISICAL_CLIENT_ID");
    const unknown = await runBruin(["run", "--no-such-flag"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown flag --no-such-flag.");
  });
});

describe("bruin run on an invalid pipeline", () => {
  it("lists every problem once and exits 1 without running anything", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: cyclic\n",
      "p/assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql\ndepends: [b]", "SELECT 1"),
      "p/assets/b.sql": sqlAsset("name: b\ntype: duckdb.sql\ndepends: [a]", "SELECT 1"),
      "p/assets/c.sql": sqlAsset("name: c\ntype: duckdb.sql\ndepends: [nowhere]", "SELECT 1"),
    });
    const result = await runBruin(["run", path.join(root, "p")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the pipeline has 2 problems");
    expect(result.stderr).toMatch(/dependency cycle: (a -> b -> a|b -> a -> b)/);
    // The asset's file is named, as the reference lists a problem under the asset and its file.
    expect(result.stderr).toContain(
      `asset 'c' (${path.join(root, "p/assets/c.sql")}) depends on 'nowhere', which does not exist`,
    );
    expect(result.stdout).not.toContain("Running:");
  });

  it("reports an asset file outside any pipeline", async () => {
    const root = scratchRepo();
    writeTree(root, { "loose.sql": sqlAsset("name: loose\ntype: duckdb.sql", "SELECT 1") });
    const result = await runBruin(["run", path.join(root, "loose.sql")]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `Error: Failed to find the pipeline this task belongs to: '${path.join(root, "loose.sql")}'`,
    );
  });

  it("runs a single asset file of a pipeline", async () => {
    const dir = copyQuickstart();
    const result = await runBruin(["run", path.join(dir, "assets", "raw", "orders.sql")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASS raw\.orders \.\.\.$/m);
    expect(result.stdout).not.toContain("raw.customers");
  });
});

describe("bruin run interrupted", () => {
  it("lets the running task finish, skips the rest, prints the summary and exits 130", async () => {
    const root = scratchRepo();
    const table = (name: string, depends: string) =>
      sqlAsset(`name: ${name}\ntype: duckdb.sql\nmaterialization: {type: table}\n${depends}`, "SELECT 1 AS n");
    writeTree(root, {
      ".bruin.yml": DUCKDB_CONFIG,
      "p/pipeline.yml": "name: interrupted\n",
      "p/assets/a.sql": table("a", ""),
      "p/assets/b.sql": table("b", "depends: [a]"),
      "p/assets/c.sql": table("c", "depends: [b]"),
    });
    const result = await runBruin(["run", path.join(root, "p")], { interruptOn: /Running: {2}a\n/ });
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/^PASS a$/m);
    expect(result.stdout).toMatch(/^SKIPPED b$/m);
    expect(result.stdout).toMatch(/^SKIPPED c$/m);
    expect(result.stdout).toContain("bruin run was interrupted");
    const tables = await readRows(
      path.join(root, "db.duckdb"),
      "SELECT table_name FROM information_schema.tables ORDER BY 1",
    );
    expect(tables.map((row) => row.table_name)).toEqual(["a"]);
  });
});
