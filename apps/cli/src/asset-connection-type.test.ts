import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { CLIENT_SECRET, duckdbSecret, emulatorWith, infisicalEnv } from "./test-support/infisical.js";
import { runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

/** `my.sql` on a postgres connection, and `pg.sql` on a DuckDB one: both refused before anything runs. */
function mismatchedPipeline(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": [
      "environments:",
      "  default:",
      "    connections:",
      "      postgres:",
      "        - name: warehouse",
      "          host: 127.0.0.1",
      "          username: nobody",
      "          password: pg-password-marker-7f3a",
      "          database: test",
      "      duckdb:",
      "        - name: local",
      "          path: db.duckdb",
      "",
    ].join("\n"),
    "p/pipeline.yml": "name: mismatch\n",
    "p/assets/orders.sql": sqlAsset(
      "name: orders\ntype: my.sql\nconnection: warehouse\nmaterialization: {type: table}",
      "SELECT 1 AS id",
    ),
    "p/assets/events.sql": sqlAsset(
      "name: events\ntype: pg.sql\nconnection: local\nmaterialization: {type: table}",
      "SELECT 1 AS id",
    ),
  });
  return root;
}

describe("an asset type and its connection type must agree", () => {
  it("run exits 1 naming both types, and nothing runs", async () => {
    const root = mismatchedPipeline();
    const result = await runBruin(["run", path.join(root, "p")]);
    expect(result.code).toBe(1);
    expect(result.all).toContain(
      "asset 'orders' of type 'my.sql' runs on a mysql connection, but connection 'warehouse' is of type 'postgres'",
    );
    expect(result.all).toContain(
      "asset 'events' of type 'pg.sql' runs on a postgres connection, but connection 'local' is of type 'duckdb'",
    );
    expect(result.all).not.toMatch(/Running:/);
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
    expect(result.all).not.toContain("pg-password-marker-7f3a");
  });

  it("run -o json reports it as a failure document", async () => {
    const root = mismatchedPipeline();
    const result = await runBruin(["run", path.join(root, "p"), "-o", "json"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("connection 'warehouse' is of type 'postgres'");
    expect(existsSync(path.join(root, "db.duckdb"))).toBe(false);
  });

  it("validate reports the same problems and exits 1", async () => {
    const root = mismatchedPipeline();
    const result = await runBruin(["validate", path.join(root, "p")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "asset 'orders' of type 'my.sql' runs on a mysql connection, but connection 'warehouse' is of type 'postgres'",
    );
    expect(result.stdout).toContain(
      "asset 'events' of type 'pg.sql' runs on a postgres connection, but connection 'local' is of type 'duckdb'",
    );
    expect(result.all).not.toContain("pg-password-marker-7f3a");
  });
});

describe("with connections from Infisical", () => {
  let emulator: Emulator | undefined;
  afterAll(async () => emulator?.stop());

  it("refuses a my.sql asset on a postgres secret before anything runs, and prints no secret", async () => {
    const root = scratchRepo();
    const password = "infisical-pg-password-marker-91c2";
    writeTree(root, {
      "p/pipeline.yml": "name: mismatch\n",
      "p/assets/orders.sql": sqlAsset(
        "name: orders\ntype: my.sql\nconnection: warehouse\nmaterialization: {type: table}",
        "SELECT 1 AS id",
      ),
      "p/assets/local.sql": sqlAsset(
        "name: local\ntype: duckdb.sql\nconnection: local\nmaterialization: {type: table}",
        "SELECT 1 AS id",
      ),
    });
    const dbFile = path.join(root, "db.duckdb");
    emulator = await emulatorWith({
      warehouse: JSON.stringify({
        type: "postgres",
        details: { host: "127.0.0.1", username: "app", password, database: "test" },
      }),
      local: duckdbSecret(dbFile),
    });
    const result = await runBruin(["run", path.join(root, "p")], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(1);
    expect(result.all).toContain(
      "asset 'orders' of type 'my.sql' runs on a mysql connection, but connection 'warehouse' is of type 'postgres'",
    );
    expect(result.all).not.toMatch(/Running:/);
    expect(existsSync(dbFile)).toBe(false);
    expect(result.all).not.toContain(password);
    expect(result.all).not.toContain(CLIENT_SECRET);
  });
});
