/**
 * Masking against a real PostgreSQL (trust authentication: any password is
 * accepted, so the password can be a marker): a password with a line break
 * and quotes, echoed back by the server's error, never comes out in any form.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { maskedForms } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { runBruin, scratchRepo, sqlAsset, writeTree, type CliResult } from "./test-support/run-cli.js";
import { serversConfig } from "./test-support/servers.js";

function expectNoForm(password: string, result: CliResult): void {
  for (const form of maskedForms(password)) {
    expect(result.all.includes(form), `a form of the password is printed: ${JSON.stringify(form.slice(0, 12))}…`).toBe(
      false,
    );
  }
}

describe("a password echoed back by PostgreSQL", () => {
  it("with a line break and quotes: masked in plain and JSON output, as the driver flattens it (item 2)", async () => {
    const id = randomBytes(5).toString("hex");
    const password = `PG-${id}-"first" line\n  'second' line-${id}`;
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml": serversConfig(JSON.stringify(password)),
      "p/pipeline.yml": "name: pg-echo\n",
      "p/assets/echo.sql": sqlAsset(
        `name: bruin_echo_${id}\ntype: pg.sql\nmaterialization: {type: view}`,
        `SELECT CAST('${password.replace(/'/g, "''")}' AS integer) AS x`,
      ),
    });
    for (const args of [[], ["--verbose"], ["-o", "json"]]) {
      const result = await runBruin(["run", path.join(root, "p"), ...args]);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.all).toContain("invalid input syntax for type integer");
      expect(result.all).toContain("****");
      if (args.includes("json")) expect(() => JSON.parse(result.stdout)).not.toThrow();
      expectNoForm(password, result);
      for (const line of password.split("\n")) expect(result.all).not.toContain(line.trim());
    }
  });

  it("in a query result: the table is as wide as the mask, JSON and CSV hold no form of it", async () => {
    const id = randomBytes(5).toString("hex");
    const password = `PG-${id}-"quoted",(strict)*`;
    const root = scratchRepo();
    writeTree(root, { ".bruin.yml": serversConfig(JSON.stringify(password)) });
    const strict = encodeURIComponent(password).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
    const lower = strict.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
    const sql = `SELECT '${password}' AS raw, '${lower}' AS lower, '${strict}' AS strict`;
    const plain = await runBruin(["query", "-c", "postgres-default", "-q", sql], { cwd: root });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("| raw  | lower | strict |");
    expect(plain.stdout).toContain("| **** | ****  | ****   |");
    for (const output of ["json", "csv"]) {
      const result = await runBruin(["query", "-c", "postgres-default", "-q", sql, "-o", output], { cwd: root });
      expect(result.code, output).toBe(0);
      expectNoForm(password, result);
      for (const form of [strict, lower]) expect(result.all).not.toContain(form);
    }
    expectNoForm(password, plain);
  });
});
