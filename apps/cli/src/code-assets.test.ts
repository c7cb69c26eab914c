import path from "node:path";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_SECRET, emulatorWith, infisicalEnv } from "./test-support/infisical.js";
import { readDuckDB, runBruin, scratchRepo, writeTree } from "./test-support/run-cli.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const API_KEY = "api-KEY-marker-5f2c9d1e";
const PG_PASSWORD = "pg-PASSWORD-marker-83be1a";

const pythonAsset = (header: string, script: string) => `"""@bruin\n${header}\n@bruin"""\n${script}\n`;

/** Prints what the script received: the secret (which must come out masked) and which credentials it can see. */
const SHOW_SCRIPT = [
  "import json, os",
  "print('key:', os.environ['API_KEY'])",
  "print('pg user:', json.loads(os.environ['pg'])['username'], 'port:', json.loads(os.environ['pg'])['port'])",
  "print('pg password:', json.loads(os.environ['pg'])['password'])",
  "print('types:', os.environ['BRUIN_CONNECTION_TYPES'])",
  "print('visible:', sorted(k for k in os.environ if k.startswith('BRUIN_INFISICAL') or k.startswith('BRUIN_CONNECTION_') and k != 'BRUIN_CONNECTION_TYPES'))",
  "import sys; print('on stderr:', os.environ['API_KEY'], file=sys.stderr)",
].join("\n");

const SHOW_HEADER = "name: show\nsecrets:\n  - key: api\n    inject_as: API_KEY\n  - key: pg";

function fileBackendRepo(): string {
  const root = scratchRepo();
  writeTree(root, {
    ".bruin.yml": [
      "environments:",
      "  default:",
      "    connections:",
      "      generic:",
      "        - name: api",
      `          value: ${API_KEY}`,
      "      postgres:",
      "        - name: pg",
      "          host: db.example.com",
      "          username: reader",
      `          password: ${PG_PASSWORD}`,
      "          database: analytics",
      "",
    ].join("\n"),
    "p/pipeline.yml": "name: code\n",
    "p/assets/show.py": pythonAsset(SHOW_HEADER, SHOW_SCRIPT),
  });
  return root;
}

describe("Python assets through bruin run", () => {
  it("get the secrets they ask for from .bruin.yml, printed masked, without any backend credential", async () => {
    const root = fileBackendRepo();
    const result = await runBruin(["run", path.join(root, "p")], {
      cwd: root,
      env: {
        BRUIN_INFISICAL_CLIENT_SECRET: CLIENT_SECRET,
        BRUIN_CONNECTION_OTHER: '{"type":"generic","details":{"value":"x"}}',
      },
    });
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain("[show] >> key: ****");
    expect(result.stdout).toContain("[show] >> pg user: reader port: 5432");
    expect(result.stdout).toContain("[show] >> pg password: ****");
    expect(result.stdout).toContain(`[show] >> types: {"API_KEY":"generic","pg":"postgres"}`);
    expect(result.stdout).toContain("[show] >> visible: []");
    expect(result.stdout).toContain("[show] >> on stderr: ****");
    for (const secret of [API_KEY, PG_PASSWORD, CLIENT_SECRET]) expect(result.all).not.toContain(secret);
  });

  it("stop before any asset runs when a secret is missing", async () => {
    const root = fileBackendRepo();
    writeTree(root, {
      "p/assets/first.py": pythonAsset("name: first", "print('first ran')"),
      "p/assets/show.py": pythonAsset("name: show\nsecrets:\n  - key: nowhere", "print('show ran')"),
    });
    const result = await runBruin(["run", path.join(root, "p")], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no asset was run");
    expect(result.stderr).toContain("nowhere");
    expect(result.all).not.toContain("ran");
  });

  it("are validated with their secrets: a missing one is named with the asset that asks for it", async () => {
    const root = fileBackendRepo();
    expect((await runBruin(["validate", path.join(root, "p")], { cwd: root })).code).toBe(0);
    writeTree(root, { "p/assets/other.py": pythonAsset("name: other\nsecrets:\n  - key: nowhere", "print('x')") });
    const result = await runBruin(["validate", path.join(root, "p")], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/secret 'nowhere' \(used by 'other'\): .*nowhere/);
    for (const secret of [API_KEY, PG_PASSWORD]) expect(result.all).not.toContain(secret);
  });

  it("get a generic secret from Infisical, without the machine identity's credentials", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: code\n",
      "p/assets/show.py": pythonAsset(SHOW_HEADER, SHOW_SCRIPT),
    });
    emulator = await emulatorWith({
      api: JSON.stringify({ type: "generic", details: { value: API_KEY } }),
      pg: JSON.stringify({
        type: "postgres",
        details: { host: "db", username: "reader", password: PG_PASSWORD, database: "d" },
      }),
    });
    const result = await runBruin(["run", path.join(root, "p")], { cwd: root, env: infisicalEnv(emulator) });
    expect(result.code, result.all).toBe(0);
    expect(result.stdout).toContain("[show] >> key: ****");
    expect(result.stdout).toContain("[show] >> pg password: ****");
    expect(result.stdout).toContain("[show] >> visible: []");
    for (const secret of [API_KEY, PG_PASSWORD, CLIENT_SECRET]) expect(result.all).not.toContain(secret);
  });

  it("are stopped by Ctrl-C: the run exits 130 and their downstream does not run", async () => {
    const root = scratchRepo();
    writeTree(root, {
      "p/pipeline.yml": "name: code\n",
      "p/assets/wait.py": pythonAsset("name: wait", "import time\nprint('waiting', flush=True)\ntime.sleep(60)"),
      "p/assets/next.py": pythonAsset("name: next\ndepends: [wait]", "print('next ran')"),
    });
    const started = Date.now();
    const result = await runBruin(["run", path.join(root, "p")], { cwd: root, interruptOn: /\[wait\] >> waiting/ });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/^FAIL wait$/m);
    expect(result.stdout).toMatch(/^UPSTREAM FAILED next$/m);
    expect(result.stdout).toContain("asset 'wait' was interrupted and stopped");
    expect(result.all).not.toContain("next ran");
  });

  it("are selected like SQL assets: one file with --downstream, tags, --only", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml":
        "environments:\n  default:\n    connections:\n      duckdb:\n        - name: duckdb-default\n          path: db.duckdb\n",
      "p/pipeline.yml": "name: code\n",
      "p/assets/src.py": pythonAsset(
        "name: src\ntags: [py]\nconnection: duckdb-default\nmaterialization: {type: table}\ncolumns:\n  - name: id\n    checks: [{name: not_null}]",
        "def materialize():\n    return [{'id': 1}]",
      ),
      "p/assets/down.sql":
        "/* @bruin\nname: down\ntype: duckdb.sql\ndepends: [src]\nmaterialization: {type: table}\n@bruin */\nSELECT id FROM src\n",
      "p/assets/other.py": pythonAsset("name: other", "print('other ran')"),
    });
    const ran = (stdout: string) => [...stdout.matchAll(/Running: {2}(\S+)/g)].map((m) => m[1]).sort();
    const downstream = await runBruin(["run", path.join(root, "p/assets/src.py"), "--downstream"], { cwd: root });
    expect(downstream.code, downstream.all).toBe(0);
    expect(ran(downstream.stdout)).toEqual(["down", "src", "src:id:not_null"]);
    const tagged = await runBruin(["run", path.join(root, "p"), "-t", "py", "--only", "main"], { cwd: root });
    expect(ran(tagged.stdout)).toEqual(["src"]);
    const checks = await runBruin(["run", path.join(root, "p"), "-x", "py", "--only", "checks"], { cwd: root });
    expect(checks.stdout).toContain("No tasks to run.");
    const excluded = await runBruin(["run", path.join(root, "p"), "-x", "py"], { cwd: root });
    expect(ran(excluded.stdout)).toEqual(["down", "other"]);
  });

  it("materialize rows into DuckDB; with -o json stdout holds only the document and the script's output goes to stderr", async () => {
    const root = scratchRepo();
    writeTree(root, {
      ".bruin.yml":
        "environments:\n  default:\n    connections:\n      duckdb:\n        - name: duckdb-default\n          path: db.duckdb\n",
      "p/pipeline.yml": "name: code\n",
      "p/assets/rows.py": pythonAsset(
        "name: raw.rows\nconnection: duckdb-default\nmaterialization: {type: table}",
        "print('making rows')\ndef materialize():\n    return [{'id': i, 'label': f'row {i}'} for i in range(3)]",
      ),
      "p/assets/total.sql":
        "/* @bruin\nname: raw.total\ntype: duckdb.sql\ndepends: [raw.rows]\nmaterialization: {type: table}\n@bruin */\nSELECT count(*) AS n FROM raw.rows\n",
    });
    const result = await runBruin(["run", path.join(root, "p"), "-o", "json"], { cwd: root });
    expect(result.code, result.all).toBe(0);
    const document = JSON.parse(result.stdout) as { status: string; tasks: Array<{ id: string; status: string }> };
    expect(document.status).toBe("succeeded");
    expect(document.tasks.map((t) => [t.id, t.status])).toEqual([
      ["raw.rows", "succeeded"],
      ["raw.total", "succeeded"],
    ]);
    expect(result.stderr).toBe("[raw.rows] >> making rows\n");
    expect(await readDuckDB(path.join(root, "db.duckdb"), "SELECT id, label FROM raw.rows ORDER BY id")).toEqual([
      { id: 0, label: "row 0" },
      { id: 1, label: "row 1" },
      { id: 2, label: "row 2" },
    ]);
  });
});
