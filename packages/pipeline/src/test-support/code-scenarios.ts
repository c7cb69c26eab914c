import { execFileSync } from "node:child_process";
import type { ConnectionAdapter, Row } from "@bruin-ts/connections";
import { expect, it } from "vitest";
import { errorOf, runPipelineFolder, statuses } from "./duckdb-run.js";
import { scratchDir, writeTree } from "./tree.js";

/** A database the Python materialization scenarios run against. */
export interface CodeTarget {
  /** pipeline.yml `default_connections` key. */
  platform: "duckdb" | "postgres" | "mysql";
  /** The schema (database on MySQL) the tables go to. */
  namespace: string;
  connect: () => Promise<ConnectionAdapter>;
  rows: (sql: string) => Promise<Row[]>;
  /** Staging tables left behind in the namespace. */
  leftovers: () => Promise<unknown[]>;
}

/** A Python asset file: the header, then the script. */
export function pythonAsset(header: string, script: string): string {
  return `"""@bruin\n${header}\n@bruin"""\n${script}\n`;
}

/**
 * The script reads the `batch` variable (BRUIN_VARS) and returns or yields the
 * rows of that batch, in one of the shapes materialize() may use.
 */
const SCRIPT = (shape: "list" | "generator" | "batches") => `
import json, os
BATCHES = {
  1: [{"id": 1, "day": "2024-01-01", "name": "a", "score": 1.5, "ok": True}, {"id": 2, "day": "2024-01-02", "name": "b", "score": 2.0, "ok": False}],
  2: [{"id": 2, "day": "2024-01-02", "name": "B", "score": 20.25, "ok": True}, {"id": 3, "day": "2024-01-02", "name": "c's \\\\ \\"q\\"", "score": None, "ok": None}],
}
def materialize():
    rows = BATCHES[json.loads(os.environ["BRUIN_VARS"])["batch"]]
    if "${shape}" == "list":
        return rows
    if "${shape}" == "generator":
        return (row for row in rows)
    def batches():
        yield rows[:1]
        yield rows[1:]
    return batches()
`;

const SCENARIOS = [
  {
    strategy: "create+replace",
    header: "",
    shape: "list",
    expected: [
      [2, "B"],
      [3, `c's \\ "q"`],
    ],
  },
  {
    strategy: "append",
    header: "",
    shape: "generator",
    expected: [
      [1, "a"],
      [2, "b"],
      [2, "B"],
      [3, `c's \\ "q"`],
    ],
  },
  {
    strategy: "merge",
    header: "columns:\n  - {name: id, type: integer, primary_key: true}\n  - {name: name, update_on_merge: true}",
    shape: "batches",
    expected: [
      [1, "a"],
      [2, "B"],
      [3, `c's \\ "q"`],
    ],
  },
  {
    strategy: "delete+insert",
    header: "  incremental_key: day",
    shape: "list",
    expected: [
      [1, "a"],
      [2, "B"],
      [3, `c's \\ "q"`],
    ],
  },
] as const;

/** Registers the materialization tests of Python assets: every strategy, two runs each. */
export function codeMaterializationTests(target: CodeTarget): void {
  const ns = target.namespace;
  const pipeline = (table: string, header: string, script: string) =>
    writeTree(scratchDir("bruin-py-"), {
      "pipeline.yml": `name: py\ndefault_connections:\n  ${target.platform}: db\nvariables:\n  batch: {type: integer, default: 1}\n`,
      [`assets/${table}.py`]: pythonAsset(`name: ${ns}.${table}\nconnection: db\n${header}`, script),
    });

  for (const [i, s] of SCENARIOS.entries()) {
    it(`${s.strategy}: rows from a ${s.shape} land in the table, then the second run's rows by the strategy`, async () => {
      const table = `py_${i}`;
      const m = `materialization:\n  type: table\n  strategy: ${s.strategy}\n${s.strategy === "delete+insert" ? s.header : ""}`;
      const header = s.strategy === "delete+insert" ? m : `${m}\n${s.header}`;
      const root = pipeline(table, header, SCRIPT(s.shape));
      const first = await runPipelineFolder(root, target.connect, { variables: { batch: 1 } });
      expect(statuses(first), errorOf(first, `${ns}.${table}`)).toEqual({ [`${ns}.${table}`]: "succeeded" });
      expect(await target.rows(`SELECT id, name, score, ok FROM ${ns}.${table} ORDER BY id`)).toEqual([
        { id: 1, name: "a", score: 1.5, ok: target.platform === "mysql" ? 1 : true },
        { id: 2, name: "b", score: 2, ok: target.platform === "mysql" ? 0 : false },
      ]);
      const second = await runPipelineFolder(root, target.connect, { variables: { batch: 2 } });
      expect(second.ok, errorOf(second, `${ns}.${table}`)).toBe(true);
      const rows = await target.rows(`SELECT id, name FROM ${ns}.${table}`);
      const sorted = (list: ReadonlyArray<readonly [unknown, unknown]>) =>
        list.map(([id, name]) => `${String(id)}:${String(name)}`).sort();
      expect(sorted(rows.map((r) => [r.id, r.name]))).toEqual(sorted(s.expected));
      expect(await target.leftovers()).toEqual([]);
    });
  }

  it("integers beyond 2^53 keep every digit; quotes and backslashes in text survive", async () => {
    const table = "py_big";
    const root = pipeline(
      table,
      "materialization: {type: table}",
      'def materialize():\n    return [{"id": 9007199254740993, "neg": -9007199254740993, "small": 5, "text": "x: 12345678901234567890, \\"q\\" \\\\ end"}]',
    );
    const result = await runPipelineFolder(root, target.connect);
    expect(result.ok, errorOf(result, `${ns}.${table}`)).toBe(true);
    const [row] = await target.rows(`SELECT id, neg, small, text FROM ${ns}.${table}`);
    expect({ ...row, id: String(row!.id), neg: String(row!.neg), small: Number(row!.small) }).toEqual({
      id: "9007199254740993",
      neg: "-9007199254740993",
      small: 5,
      text: 'x: 12345678901234567890, "q" \\ end',
    });
  });

  it("an empty result (None) changes nothing and succeeds; a failing materialize() leaves the table as it was", async () => {
    const table = "py_empty";
    const root = pipeline(table, "materialization: {type: table}", "def materialize():\n    return [{'id': 7}]\n");
    expect((await runPipelineFolder(root, target.connect)).ok).toBe(true);
    writeTree(root, {
      [`assets/${table}.py`]: pythonAsset(
        `name: ${ns}.${table}\nconnection: db\nmaterialization: {type: table}`,
        "def materialize():\n    return None\n",
      ),
    });
    expect((await runPipelineFolder(root, target.connect)).ok).toBe(true);
    writeTree(root, {
      [`assets/${table}.py`]: pythonAsset(
        `name: ${ns}.${table}\nconnection: db\nmaterialization: {type: table}`,
        "def materialize():\n    yield {'id': 8}\n    raise RuntimeError('source went away')\n",
      ),
    });
    const failed = await runPipelineFolder(root, target.connect);
    expect(errorOf(failed, `${ns}.${table}`)).toMatch(
      /Python exited with code 1:[\s\S]*RuntimeError: source went away/,
    );
    expect(await target.rows(`SELECT id FROM ${ns}.${table}`)).toEqual([{ id: 7 }]);
    expect(await target.leftovers()).toEqual([]);
  });

  dataFrameTests(target, pipeline);
}

/** Debian's interpreter, where `.ci/run` installs python3-pandas (PyPI is out of reach). */
const DEBIAN_PYTHON = "/usr/bin/python3";

/** The environment that makes a run choose Debian's python3: its folder first on PATH. */
const debianPythonEnv = () => ({ ...process.env, PATH: `/usr/bin:${process.env.PATH ?? ""}` });

const FRAME = `
import datetime, sys
import pandas as pd
print("interpreter", sys.executable, flush=True)
def frame(ids):
    return pd.DataFrame({
        "id": ids,
        "name": ['say "hi" \\\\ %d' % i if i % 2 else None for i in ids],
        "score": [i / 2 if i % 3 else float("nan") for i in ids],
        "ok": [i % 2 == 0 for i in ids],
        "ts": (pd.to_datetime(["2024-01-01 10:00:00"] * len(ids)) + pd.to_timedelta(ids, unit="h")).where([i % 5 != 4 for i in ids]),
        "day": [datetime.date(2024, 1, 1 + i % 28) for i in ids],
        "maybe": pd.array([i if i % 4 else None for i in ids], dtype="Int64"),
    })
`;

/** The rows FRAME makes for `ids`, as the database gives them back. */
function frameRows(platform: CodeTarget["platform"], ids: number[]) {
  return ids.map((i) => ({
    id: i,
    name: i % 2 ? `say "hi" \\ ${i}` : null,
    score: i % 3 ? i / 2 : null,
    ok: platform === "mysql" ? Number(i % 2 === 0) : i % 2 === 0,
    ts: i % 5 === 4 ? null : new Date(Date.UTC(2024, 0, 1, 10 + i)).toISOString().slice(0, 19).replace("T", " "),
    day: `2024-01-${String(1 + (i % 28)).padStart(2, "0")}`,
    maybe: i % 4 ? i : null,
  }));
}

/** Fails the test saying what to install when Debian's python3 has no pandas (the other tests go on). */
function requirePandas(): void {
  try {
    execFileSync(DEBIAN_PYTHON, ["-c", "import pandas"], { stdio: "pipe" });
  } catch (error) {
    throw new Error(
      `${DEBIAN_PYTHON} cannot import pandas (${(error as Error).message.split("\n")[0]}): ` +
        "install it with `apt-get install -y --no-install-recommends python3-pandas` (.ci/run does)",
    );
  }
}

/** materialize() returning a pandas DataFrame, and yielding DataFrames, run by Debian's python3. */
function dataFrameTests(target: CodeTarget, pipeline: (table: string, header: string, script: string) => string): void {
  const ns = target.namespace;
  const select = (table: string) =>
    target.rows(
      `SELECT id, name, score, ok, ${target.platform === "mysql" ? "DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s')" : "CAST(ts AS TEXT)"} AS ts, ` +
        `CAST(day AS ${target.platform === "mysql" ? "CHAR" : "TEXT"}) AS day, maybe FROM ${ns}.${table} ORDER BY id`,
    );

  it("a pandas DataFrame: NaN, None, NaT and pd.NA become NULL; ints, floats, booleans, timestamps and dates keep their types", async () => {
    requirePandas();
    const table = "py_frame";
    const root = pipeline(
      table,
      "materialization: {type: table}",
      `${FRAME}\ndef materialize():\n    return frame(list(range(0, 9)))`,
    );
    const lines: string[] = [];
    const result = await runPipelineFolder(root, target.connect, {
      code: { env: debianPythonEnv(), onOutput: (_task, _stream, line) => lines.push(line) },
    });
    expect(result.ok, errorOf(result, `${ns}.${table}`)).toBe(true);
    expect(lines).toEqual([`interpreter ${DEBIAN_PYTHON}`]);
    // Numbers come back as numbers: `maybe` (pandas Int64 with pd.NA first) is an integer column, not text.
    expect(await select(table)).toEqual(frameRows(target.platform, [0, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(await target.leftovers()).toEqual([]);
  });

  it("a generator of pandas DataFrames: every batch lands, merged on the primary key by the second run", async () => {
    requirePandas();
    const table = "py_frames";
    const header =
      "materialization:\n  type: table\n  strategy: merge\ncolumns:\n  - {name: id, type: integer, primary_key: true}";
    const script = (from: number) =>
      `${FRAME}\ndef materialize():\n    for start in range(${from}, ${from} + 3000, 1000):\n        yield frame(list(range(start, start + 1000)))`;
    const root = pipeline(table, header, script(0));
    const first = await runPipelineFolder(root, target.connect, { code: { env: debianPythonEnv() } });
    expect(first.ok, errorOf(first, `${ns}.${table}`)).toBe(true);
    writeTree(root, {
      [`assets/${table}.py`]: pythonAsset(`name: ${ns}.${table}\nconnection: db\n${header}`, script(2000)),
    });
    const second = await runPipelineFolder(root, target.connect, { code: { env: debianPythonEnv() } });
    expect(second.ok, errorOf(second, `${ns}.${table}`)).toBe(true);
    const [summary] = await target.rows(
      `SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi, count(name) AS named FROM ${ns}.${table}`,
    );
    expect(Object.fromEntries(Object.entries(summary!).map(([k, v]) => [k, Number(v)]))).toEqual({
      n: 5000,
      d: 5000,
      lo: 0,
      hi: 4999,
      named: 2500,
    });
    const some = (await select(table)).filter((r) => [0, 1, 2999, 4999].includes(Number(r.id)));
    expect(some.map((r) => ({ ...r, id: Number(r.id), maybe: r.maybe === null ? null : Number(r.maybe) }))).toEqual(
      frameRows(target.platform, [0, 1, 2999, 4999]),
    );
    expect(await target.leftovers()).toEqual([]);
  });
}
