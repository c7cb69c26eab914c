import type { ConnectionAdapter } from "@bruin-ts/connections";
import { openLocalServer } from "@bruin-ts/test-servers";
import { describe, expect, it } from "vitest";
import { codeMaterializationTests, pythonAsset } from "./test-support/code-scenarios.js";
import { errorOf, runPipelineFolder } from "./test-support/duckdb-run.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";
import { scratchDir, writeTree } from "./test-support/tree.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_py");

const leftovers = async () =>
  (
    await admin().query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name LIKE '\\_\\_bruin%'`,
    )
  ).rows;

describe("Python assets materialized into PostgreSQL", () => {
  codeMaterializationTests({
    platform: "postgres",
    namespace: schema,
    connect: () => openLocalServer("postgres", "db"),
    rows: async (sql) => (await admin().query(sql)).rows,
    leftovers,
  });
});

/** The real adapter, with what went through COPY and every statement recorded. */
async function recorded(): Promise<{ adapter: ConnectionAdapter; copies: string[]; statements: string[] }> {
  const real = await openLocalServer("postgres", "db");
  const copies: string[] = [];
  const statements: string[] = [];
  const overrides: Partial<ConnectionAdapter> = {
    exec: (sql: string) => {
      statements.push(sql);
      return real.exec(sql);
    },
    copyFrom: (statement: string, data: AsyncIterable<string>) => {
      copies.push(statement);
      return real.copyFrom!(statement, data);
    },
  };
  const adapter = new Proxy(real, {
    get: (target, key) => {
      if (key in overrides) return overrides[key as keyof ConnectionAdapter];
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { adapter, copies, statements };
}

describe("PostgreSQL bulk load: COPY in CSV", () => {
  const pipeline = (table: string, header: string, script: string) =>
    writeTree(scratchDir("bruin-pycopy-"), {
      "pipeline.yml": "name: copy\ndefault_connections:\n  postgres: db\n",
      [`assets/${table}.py`]: pythonAsset(`name: ${schema}.${table}\nconnection: db\n${header}`, script),
    });

  it("carries quotes, backslashes, newlines, NULLs, empty strings, JSON and big integers exactly, through one COPY", async () => {
    const table = "copy_values";
    const root = pipeline(
      table,
      "materialization: {type: table}",
      [
        "import datetime",
        "TEXTS = ['say \"hi\"', 'back\\\\slash \\\\N', 'two\\nlines\\r\\nthree', '', '\\\\.', 'a,b;c\\t|', 'ünï \\u2603', 'NULL', ' padded ']",
        "def materialize():",
        "    for i, text in enumerate(TEXTS):",
        "        yield {'id': i, 'text': text, 'big': 9007199254740993 + i, 'score': i / 4 if i % 3 else None,",
        "               'ok': i % 2 == 0, 'day': datetime.date(2024, 1, 1 + i), 'doc': {'k': text, 'n': [i, None]}}",
        "    yield {'id': 99, 'text': None, 'big': None, 'score': None, 'ok': None, 'day': None, 'doc': None}",
      ].join("\n"),
    );
    const { adapter, copies, statements } = await recorded();
    try {
      const result = await runPipelineFolder(root, async () => adapter);
      expect(result.ok, errorOf(result, `${schema}.${table}`)).toBe(true);
    } finally {
      await adapter.close();
    }
    expect(copies).toEqual([
      expect.stringMatching(/^COPY "bruin_py_\w+"\."__bruin_rows_\w+" \(.*\) FROM STDIN WITH \(FORMAT csv\)$/),
    ]);
    expect(statements.filter((sql) => /^INSERT INTO .*__bruin_rows_/.test(sql))).toEqual([]);
    const texts = [
      'say "hi"',
      "back\\slash \\N",
      "two\nlines\r\nthree",
      "",
      "\\.",
      "a,b;c\t|",
      "ünï \u2603",
      "NULL",
      " padded ",
    ];
    const rows = (
      await admin().query(
        `SELECT id, text, big::text AS big, score, ok, day::text AS day, doc FROM ${schema}.${table} ORDER BY id`,
      )
    ).rows;
    expect(rows).toEqual([
      ...texts.map((text, i) => ({
        id: i,
        text,
        big: String(9007199254740993n + BigInt(i)),
        score: i % 3 ? i / 4 : null,
        ok: i % 2 === 0,
        day: `2024-01-0${i + 1}`,
        doc: JSON.stringify({ k: text, n: [i, null] }),
      })),
      { id: 99, text: null, big: null, score: null, ok: null, day: null, doc: null },
    ]);
    expect(await leftovers()).toEqual([]);
  });

  it(
    "a value the column refuses stops the COPY and the script; the table keeps its rows, no staging table is left",
    { timeout: 120_000 },
    async () => {
      const table = "copy_refused";
      const header = "materialization: {type: table}\ncolumns:\n  - {name: id, type: integer}";
      const root = pipeline(table, header, "def materialize():\n    return [{'id': 1}, {'id': 2}]");
      expect((await runPipelineFolder(root, () => openLocalServer("postgres", "db"))).ok).toBe(true);
      writeTree(root, {
        [`assets/${table}.py`]: pythonAsset(
          `name: ${schema}.${table}\nconnection: db\n${header}`,
          // Far more rows than a pipe holds: the script is still writing when the server refuses row 150,001.
          "import sys\ndef materialize():\n    for i in range(1000000):\n        yield {'id': 'not a number' if i == 150000 else i}\n    print('all rows sent', file=sys.stderr)",
        ),
      });
      const lines: string[] = [];
      const failed = await runPipelineFolder(root, () => openLocalServer("postgres", "db"), {
        code: { env: process.env, onOutput: (_task, _stream, line) => lines.push(line) },
      });
      expect(errorOf(failed, `${schema}.${table}`)).toMatch(/invalid input syntax for type integer: "not a number"/);
      // The script was stopped: it never reached the end of its rows.
      expect(lines).not.toContain("all rows sent");
      expect((await admin().query(`SELECT id FROM ${schema}.${table} ORDER BY id`)).rows).toEqual([
        { id: 1 },
        { id: 2 },
      ]);
      expect(await leftovers()).toEqual([]);
    },
  );
});
