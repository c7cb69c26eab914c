/**
 * Masking, end to end: secrets from the Infisical emulator (and .bruin.yml)
 * echoed back by DuckDB errors and query results, in every command and
 * output format. Each test uses its own marker values and asserts that none
 * of them, nor any of their forms, appears in stdout, stderr or any file the
 * command wrote, and checks the exit code.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { Redactor, maskedForms } from "@bruin-ts/secrets-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OUTPUT_SUPPRESSED } from "./io.js";
import { CLIENT_SECRET, emulatorWith, infisicalEnv } from "./test-support/infisical.js";
import { runBruin, scratchRepo, sqlAsset, writeTree, type CliResult } from "./test-support/run-cli.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await emulator?.stop();
  emulator = undefined;
});

const unique = () => randomBytes(5).toString("hex");

/** A DuckDB connection whose secret also holds `password` (Infisical masks detail fields named like secrets). */
const duckdbWith = (file: string, password: string) =>
  JSON.stringify({ type: "duckdb", details: { path: file, password } });

/** A scratch pipeline: one duckdb.sql asset per entry (name → [connection, query]), no .bruin.yml. */
function pipelineOf(assets: Record<string, [connection: string, query: string]>) {
  const root = scratchRepo("bruin-masking-");
  const files: Record<string, string> = { "p/pipeline.yml": "name: masking\n" };
  for (const [name, [connection, query]] of Object.entries(assets)) {
    files[`p/assets/${name}.sql`] = sqlAsset(
      `name: ${name}\ntype: duckdb.sql\nconnection: ${connection}\nmaterialization: {type: table}`,
      query,
    );
  }
  writeTree(root, files);
  return { root, dir: path.join(root, "p"), db: (name: string) => path.join(root, "db", `${name}.duckdb`) };
}

/** Every file under `root` except the ones the test itself wrote (pipeline.yml, assets). */
function writtenFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (!full.includes(`${path.sep}p${path.sep}`)) found.push(full);
    }
  };
  walk(root);
  return found;
}

/** None of the secrets, in any of their forms, in the output or in the files written under `root`. */
function expectNothingOf(secrets: string[], result: CliResult, root?: string): void {
  const tokens = emulator?.issuedTokens() ?? [];
  const files = root ? writtenFiles(root).map((file) => readFileSync(file).toString("latin1")) : [];
  for (const secret of [...secrets, CLIENT_SECRET, ...tokens]) {
    for (const form of maskedForms(secret)) {
      expect(result.all.includes(form), `a form of a secret is printed: ${JSON.stringify(form.slice(0, 12))}…`).toBe(
        false,
      );
    }
    for (const content of files) expect(content.includes(secret)).toBe(false);
  }
}

describe("one large secret leaks nothing (item 1)", () => {
  // A service account whose private key alone is ~40 KB: a single regular expression over it could not be built.
  const big = () => {
    const id = unique();
    const key = `-----BEGIN PRIVATE KEY-----\n${randomBytes(30_000)
      .toString("base64")
      .replace(/(.{64})/g, "$1\n")}\n-----END PRIVATE KEY-----\n`;
    return JSON.stringify({
      type: "service_account",
      private_key_id: `BIG-${id}`,
      private_key: key,
      client_email: `sa-${id}@example.iam`,
    });
  };

  async function setUp() {
    const serviceAccount = big();
    expect(serviceAccount.length).toBeGreaterThan(40_000);
    const other = `OTHER-${unique()}-password`;
    const pipeline = pipelineOf({ first: ["wh", "SELECT 1 AS n"], second: ["wh", "SELECT 2 AS n"] });
    emulator = await emulatorWith({
      wh: JSON.stringify({
        type: "duckdb",
        details: { path: pipeline.db("wh"), service_account_json: serviceAccount },
      }),
      other: JSON.stringify({
        type: "postgres",
        details: { host: "db.internal", username: "app", password: other, database: "d" },
      }),
    });
    const parsed = JSON.parse(serviceAccount) as Record<string, string>;
    const secrets = [serviceAccount, other, parsed.private_key!, parsed.private_key_id!];
    return { pipeline, secrets, env: infisicalEnv(emulator) };
  }

  it.each([
    ["run", (dir: string) => ["run", dir], 0],
    ["run -o json", (dir: string) => ["run", dir, "-o", "json"], 0],
    ["validate", (dir: string) => ["validate", dir], 0],
    ["query", () => ["query", "-c", "wh", "-q", "SELECT 42 AS answer"], 0],
    ["connections test", () => ["connections", "test", "wh"], 0],
    ["connections list", () => ["connections", "list"], 0],
  ] as const)("%s", async (_name, args, exitCode) => {
    const { pipeline, secrets, env } = await setUp();
    const result = await runBruin([...args(pipeline.dir)], { env, cwd: pipeline.root });
    expect(result.stderr).not.toMatch(/Regular expression|too large/i);
    expect(result.code).toBe(exitCode);
    if (args(pipeline.dir).includes("json")) expect(() => JSON.parse(result.stdout)).not.toThrow();
    expectNothingOf(secrets, result, pipeline.root);
  });

  it("masks the large value itself where a query returns it", async () => {
    const { pipeline, secrets, env } = await setUp();
    const serviceAccount = secrets[0]!;
    const result = await runBruin(["query", "-c", "wh", "-q", `SELECT '${serviceAccount.replace(/'/g, "''")}' AS v`], {
      env,
      cwd: pipeline.root,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("| **** |");
    expectNothingOf(secrets, result, pipeline.root);
  });
});

describe("every form of a secret echoed back is masked", () => {
  it("a password with a line break, in a database error, plain, --verbose and JSON (item 2)", async () => {
    const id = unique();
    const password = `NL-${id}-first-line\nsecond-line-${id}`;
    const pipeline = pipelineOf({ echo: ["nl", `SELECT CAST('${password}' AS INTEGER) AS x`] });
    emulator = await emulatorWith({ nl: duckdbWith(pipeline.db("nl"), password) });
    const env = infisicalEnv(emulator);
    const lines = password.split("\n");
    for (const args of [
      ["run", pipeline.dir],
      ["run", pipeline.dir, "--verbose"],
      ["run", pipeline.dir, "-o", "json"],
    ]) {
      const result = await runBruin(args, { env });
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.all).toContain("Could not convert string");
      expect(result.all).toContain("****");
      expectNothingOf([password, ...lines], result, pipeline.root);
      for (const line of lines) expect(result.all).not.toContain(line);
    }
  });

  it("strict RFC 3986, Python-quoted and lower-case-hex percent-encoding (item 3)", async () => {
    const id = unique();
    const password = `Pct(${id})*it's!/+?`;
    const strict = encodeURIComponent(password).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
    const lower = strict.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
    const python = strict.replace(/%2F/g, "/");
    expect(strict).toMatch(/%28.*%29%2A.*%27.*%21%2F/);
    const pipeline = pipelineOf({
      echo: ["pct", `SELECT CAST('postgresql://app:${strict}@db/x ${lower} ${python}' AS INTEGER) AS x`],
    });
    emulator = await emulatorWith({ pct: duckdbWith(pipeline.db("pct"), password) });
    const env = infisicalEnv(emulator);
    const run = await runBruin(["run", pipeline.dir], { env });
    expect(run.code).toBe(1);
    expect(run.all).toContain("postgresql://app:****@db/x **** ****");
    const query = await runBruin(
      ["query", "-c", "pct", "-q", `SELECT '${strict}' AS a, '${lower}' AS b, '${python}' AS c`],
      { env, cwd: pipeline.root },
    );
    expect(query.code).toBe(0);
    expect(query.stdout).toContain("| **** | **** | **** |");
    for (const result of [run, query]) {
      expectNothingOf([password], result, pipeline.root);
      for (const form of [strict, lower, python]) expect(result.all).not.toContain(form);
    }
  });

  it("query -o csv: a password with a double quote, doubled by CSV (item 4)", async () => {
    const id = unique();
    const password = `Csv"${id}"quoted,pw`;
    const pipeline = pipelineOf({});
    emulator = await emulatorWith({ csv: duckdbWith(pipeline.db("csv"), password) });
    const result = await runBruin(["query", "-c", "csv", "-q", `SELECT '${password}' AS v`, "-o", "csv"], {
      env: infisicalEnv(emulator),
      cwd: pipeline.root,
    });
    expect(result.code).toBe(0);
    // The cell is masked before it is quoted; the quoted form (`"` doubled) is masked in the final text as well.
    expect(result.stdout).toBe("v\n****\n");
    expect(result.all).not.toContain(password.replace(/"/g, '""'));
    expectNothingOf([password], result, pipeline.root);
  });

  it("run -o json: a JSON-escaped password in an error message, escaped again by the JSON output (item 5)", async () => {
    const id = unique();
    const password = `Js"${id}\\back\\slash`;
    const once = JSON.stringify(password).slice(1, -1);
    const twice = JSON.stringify(once).slice(1, -1);
    const pipeline = pipelineOf({ echo: ["js", `SELECT CAST('{"password": "${once}"}' AS INTEGER) AS x`] });
    emulator = await emulatorWith({ js: duckdbWith(pipeline.db("js"), password) });
    const result = await runBruin(["run", pipeline.dir, "-o", "json"], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as { tasks: Array<{ error: string | null }> };
    const error = document.tasks.find((task) => task.error)?.error ?? "";
    expect(error).toContain('{"password": "****"}');
    for (const form of [password, once, twice]) {
      expect(result.all).not.toContain(form);
      expect(error).not.toContain(form);
    }
    expectNothingOf([password], result, pipeline.root);
  });

  it("the query table sizes its columns from the masked text: the width never tells a password's length (item 14)", async () => {
    const id = unique();
    const short = `W14-${id}`;
    const long = `W14-${id}-${"x".repeat(60)}`;
    const pipeline = pipelineOf({});
    emulator = await emulatorWith({ a: duckdbWith(pipeline.db("a"), short), b: duckdbWith(pipeline.db("b"), long) });
    const env = infisicalEnv(emulator);
    const first = await runBruin(["query", "-c", "a", "-q", `SELECT '${short}' AS v, 1 AS n`], {
      env,
      cwd: pipeline.root,
    });
    const second = await runBruin(["query", "-c", "b", "-q", `SELECT '${long}' AS v, 1 AS n`], {
      env,
      cwd: pipeline.root,
    });
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stdout).toContain("| v    | n |");
    expect(first.stdout).toContain("| **** | 1 |");
    expect(Math.max(...first.stdout.split("\n").map((line) => line.length))).toBe("| **** | 1 |".length);
    expectNothingOf([short, long], first, pipeline.root);
    expectNothingOf([short, long], second, pipeline.root);
  });

  it("a password in an SQL string literal ('' doubled), as --verbose prints the query", async () => {
    const id = unique();
    const password = `Sql'${id}'quoted`;
    const pipeline = pipelineOf({ echo: ["sq", `SELECT '${password.replace(/'/g, "''")}' AS x`] });
    emulator = await emulatorWith({ sq: duckdbWith(pipeline.db("sq"), password) });
    const result = await runBruin(["run", pipeline.dir, "--verbose"], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("SELECT '****' AS x");
    expect(result.all).not.toContain(password.replace(/'/g, "''"));
    // The table holds the value: that is the asset's job. Nothing else written holds it.
    expectNothingOf([password], result);
  });
});

describe("masking fails closed", () => {
  /** A redactor that throws, with the value in its message, whenever the text holds `marker`. */
  function failOn(marker: string): void {
    const redact = Redactor.prototype.redact;
    vi.spyOn(Redactor.prototype, "redact").mockImplementation(function (this: Redactor, text: string) {
      if (text.includes(marker)) throw new Error(`cannot mask ${marker}`);
      return redact.call(this, text);
    });
  }

  it("prints a fixed message that names no value, nothing unmasked, and exits with the failure's code", async () => {
    const password = `FC-${unique()}-password`;
    const pipeline = pipelineOf({ echo: ["fc", `SELECT CAST('${password}' AS INTEGER) AS x`] });
    emulator = await emulatorWith({ fc: duckdbWith(pipeline.db("fc"), password) });
    failOn(password);
    const result = await runBruin(["run", pipeline.dir], { env: infisicalEnv(emulator) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(OUTPUT_SUPPRESSED);
    expect(result.all.split(OUTPUT_SUPPRESSED).length - 1).toBe(1);
    expect(result.all).not.toContain(password);
    expect(result.all).not.toContain("cannot mask");
  });

  it("turns a command that would have succeeded into exit 1, with nothing on stdout after the failure", async () => {
    const password = `FC-${unique()}-password`;
    const pipeline = pipelineOf({});
    emulator = await emulatorWith({ fc: duckdbWith(pipeline.db("fc"), password) });
    failOn(password);
    for (const output of ["plain", "json", "csv"]) {
      const result = await runBruin(["query", "-c", "fc", "-q", `SELECT '${password}' AS v`, "-o", output], {
        env: infisicalEnv(emulator),
        cwd: pipeline.root,
      });
      expect(result.code, output).toBe(1);
      expect(result.stdout, output).toBe("");
      expect(result.stderr, output).toBe(`${OUTPUT_SUPPRESSED}\n`);
    }
  });

  it("suppresses everything when the redactor cannot mask at all", async () => {
    const pipeline = pipelineOf({ t: ["wh", "SELECT 1 AS n"] });
    emulator = await emulatorWith({ wh: duckdbWith(pipeline.db("wh"), `FC-${unique()}`) });
    vi.spyOn(Redactor.prototype, "redact").mockImplementation(() => {
      throw new RangeError("Invalid string length");
    });
    for (const args of [
      ["connections", "list"],
      ["run", pipeline.dir, "-o", "json"],
      ["validate", pipeline.dir],
    ]) {
      const result = await runBruin(args, { env: infisicalEnv(emulator), cwd: pipeline.root });
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.all, args.join(" ")).toBe(`${OUTPUT_SUPPRESSED}\n`);
    }
  });
});

describe(`values shorter than the masking minimum (4 characters)`, () => {
  function project(password: string) {
    const root = scratchRepo("bruin-short-");
    writeTree(root, {
      ".bruin.yml": [
        "environments:",
        "  default:",
        "    connections:",
        "      postgres:",
        "        - name: pg-short",
        "          host: db.internal",
        "          username: app",
        `          password: "${password}"`,
        "          database: analytics",
      ].join("\n"),
      "p/pipeline.yml": "name: short\n",
      "p/assets/a.sql": sqlAsset(
        "name: s.a\ntype: pg.sql\nconnection: pg-short\nmaterialization: {type: view}",
        "SELECT 1 AS n",
      ),
    });
    return path.join(root, "p");
  }

  it.each([
    ["Q7z", true],
    ["W8x5", false],
    ["K9y4v", false],
  ])(
    "a password of %j: warned about when too short to mask, at preflight, by connection and field",
    async (password, warned) => {
      const result = await runBruin(["validate", project(password)]);
      expect(result.code).toBe(0);
      const warning =
        "Warning: connection 'pg-short': its password is shorter than 4 characters, so it is not masked in output";
      if (warned) {
        expect(result.stderr).toContain(`${warning}\n`);
        expect(result.stderr.split("\n").filter((line) => line.startsWith("Warning:"))).toHaveLength(1);
      } else expect(result.stderr).not.toContain("Warning:");
      expect(result.all).not.toContain(password);
    },
  );
});
