import path from "node:path";
import { openConnection } from "@bruin-ts/connections";
import { describe, expect, it } from "vitest";
import { codeMaterializationTests, pythonAsset } from "./test-support/code-scenarios.js";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";
import { scratchDir } from "./test-support/tree.js";

describe("Python assets materialized into DuckDB", () => {
  const dbFile = path.join(scratchDir("bruin-pyduck-"), "w.duckdb");
  const open = () => openConnection({ name: "db", type: "duckdb", details: { path: dbFile } });
  const rows = async (sql: string) => {
    const adapter = await open();
    try {
      return (await adapter.query(sql)).rows;
    } finally {
      await adapter.close();
    }
  };
  codeMaterializationTests({
    platform: "duckdb",
    namespace: "py",
    connect: open,
    rows,
    leftovers: async () => rows("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '__bruin%'"),
  });
});

describe("Python assets in a run", () => {
  it("polars- and pyarrow-shaped results (stand-ins with the methods the runner calls) load in slices", async () => {
    // polars and pyarrow cannot be installed here (no Debian package, no PyPI): these classes have only
    // the methods of polars.DataFrame (iter_slices, to_dicts) and pyarrow.Table / RecordBatch
    // (to_batches, to_pylist, schema) that the runner recognises them by.
    const p = new DuckDBPipeline().write({
      "assets/frames.py": pythonAsset(
        "name: frames\nconnection: duckdb-default\nmaterialization: {type: table}",
        [
          "import datetime, decimal",
          "calls = []",
          "def row(i):",
          "    return {'id': i, 'amount': decimal.Decimal('1.25') * i, 'day': datetime.date(2024, 1, 1 + i % 28)}",
          "class PolarsLike:",
          "    schema = {}",
          "    def __init__(self, rows): self.rows = rows",
          "    def iter_slices(self, n_rows):",
          "        calls.append(('polars', n_rows))",
          "        for s in range(0, len(self.rows), n_rows): yield PolarsLike(self.rows[s:s + n_rows])",
          "    def to_dicts(self): return list(self.rows)",
          "class BatchLike:",
          "    schema = None",
          "    def __init__(self, rows): self.rows = rows",
          "    def to_pylist(self): return list(self.rows)",
          "class TableLike:",
          "    schema = None",
          "    def __init__(self, rows): self.rows = rows",
          "    def to_batches(self, max_chunksize):",
          "        calls.append(('arrow', max_chunksize))",
          "        return [BatchLike(self.rows[s:s + max_chunksize]) for s in range(0, len(self.rows), max_chunksize)]",
          "def materialize():",
          "    yield PolarsLike([row(i) for i in range(0, 12000)])",
          "    yield TableLike([row(i) for i in range(12000, 24000)])",
          "    yield BatchLike([row(i) for i in range(24000, 24500)])",
          "    print('calls', calls)",
        ].join("\n"),
      ),
    });
    const lines: string[] = [];
    const result = await p.run({ code: { onOutput: (_task, _stream, line) => lines.push(line) } });
    expect(result.ok, errorOf(result, "frames")).toBe(true);
    expect(lines).toEqual(["calls [('polars', 10000), ('arrow', 10000)]"]);
    const [summary] = await p.rows(
      "SELECT count(*) AS n, count(DISTINCT id) AS d, sum(amount) AS total, min(day) AS first FROM frames",
    );
    expect({ ...summary, n: Number(summary!.n), d: Number(summary!.d) }).toEqual({
      n: 24500,
      d: 24500,
      total: (1.25 * 24499 * 24500) / 2,
      first: "2024-01-01",
    });
  });

  it("a failing script fails its asset with its last lines; downstream is UPSTREAM FAILED, an independent branch goes on", async () => {
    const p = new DuckDBPipeline().write({
      "assets/bad.py": pythonAsset("name: bad", "print('about to fail')\nraise SystemExit(3)"),
      "assets/after.py": pythonAsset("name: after\ndepends: [bad]", "print('never')"),
      "assets/other.py": pythonAsset("name: other", "print('independent')"),
    });
    const lines: string[] = [];
    const result = await p.run({ code: { onOutput: (task, _stream, line) => lines.push(`${task.id}: ${line}`) } });
    expect(statuses(result)).toEqual({ bad: "failed", after: "upstream_failed", other: "succeeded" });
    expect(errorOf(result, "bad")).toBe("Python exited with code 3:\nabout to fail");
    expect(lines.sort()).toEqual(["bad: about to fail", "other: independent"]);
  });

  it("runs from the asset's folder with the built-in variables and its secrets", async () => {
    const p = new DuckDBPipeline("name: envtest\nvariables:\n  region: {type: string, default: eu}\n").write({
      "assets/sub/show.py": pythonAsset(
        "name: show\nsecrets:\n  - key: api\n    inject_as: API_TOKEN\n  - key: wh",
        "import os, json\nprint(os.getcwd())\nfor k in ['BRUIN_ASSET', 'BRUIN_PIPELINE', 'BRUIN_START_DATE', 'API_TOKEN']:\n    print(k, os.environ[k])\nprint('wh', json.loads(os.environ['wh'])['path'])\nprint('vars', json.loads(os.environ['BRUIN_VARS'])['region'])\nprint('inherited', os.environ.get('INHERITED'))",
      ),
    });
    const lines: string[] = [];
    const result = await p.run({
      code: {
        env: { PATH: process.env.PATH, INHERITED: "yes" },
        resolveSecret: async (name) =>
          name === "api"
            ? { name, type: "generic", details: { value: "tok-1" } }
            : { name, type: "duckdb", details: { path: "/x.duckdb" } },
        onOutput: (_task, _stream, line) => lines.push(line),
      },
    });
    expect(result.ok, errorOf(result, "show")).toBe(true);
    expect(lines).toEqual([
      path.join(p.root, "assets/sub"),
      "BRUIN_ASSET show",
      "BRUIN_PIPELINE envtest",
      "BRUIN_START_DATE 2024-03-05",
      "API_TOKEN tok-1",
      "wh /x.duckdb",
      "vars eu",
      "inherited yes",
    ]);
  });

  it("a timeout stops the script and its children and fails the asset, saying it timed out", async () => {
    const p = new DuckDBPipeline("name: t\ndefault:\n  timeout: 1s\n").write({
      "assets/slow.py": pythonAsset(
        "name: slow",
        "import subprocess, time\nsubprocess.Popen(['sleep', '60'])\nprint('started', flush=True)\ntime.sleep(60)",
      ),
      "assets/fast.py": pythonAsset("name: fast\ntimeout: 30s", "print('ok')"),
      "assets/next.py": pythonAsset("name: next\ndepends: [slow]", "print('never')"),
    });
    const started = Date.now();
    const result = await p.run({ code: { graceMs: 500 } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(statuses(result)).toEqual({ slow: "failed", fast: "succeeded", next: "upstream_failed" });
    expect(errorOf(result, "slow")).toBe("asset 'slow' timed out after 1s and was stopped");
  });

  it("Ctrl-C stops a running script", async () => {
    const controller = new AbortController();
    const p = new DuckDBPipeline().write({
      "assets/wait.py": pythonAsset("name: wait", "import time\nprint('waiting', flush=True)\ntime.sleep(60)"),
    });
    const started = Date.now();
    const result = await p.run({ signal: controller.signal, code: { onOutput: () => controller.abort() } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(statuses(result)).toEqual({ wait: "failed" });
    expect(errorOf(result, "wait")).toBe("asset 'wait' was interrupted and stopped");
  });

  it("column and custom checks run on the table a Python asset materialized", async () => {
    const p = new DuckDBPipeline().write({
      "assets/t.py": pythonAsset(
        "name: t\nconnection: duckdb-default\nmaterialization: {type: table}\ncolumns:\n  - name: id\n    checks: [{name: unique}, {name: not_null}]\ncustom_checks:\n  - name: two rows\n    query: SELECT count(*) FROM t\n    value: 2",
        "def materialize():\n    return [{'id': 1}, {'id': 1}]",
      ),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      t: "succeeded",
      "t:id:unique": "failed",
      "t:id:not_null": "succeeded",
      "t:custom-check:two_rows": "succeeded",
    });
    expect(await p.rows("SELECT count(*)::INT AS n FROM t")).toEqual([{ n: 2 }]);
  });
});
