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
}
