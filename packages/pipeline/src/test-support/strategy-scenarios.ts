/**
 * Two-run workflows for each table strategy, written in SQL that DuckDB,
 * PostgreSQL and MySQL all accept, so every engine is held to the same rows.
 * The first run uses --full-refresh; the second runs the strategy on changed data.
 */
export interface StrategyScenario {
  strategy: string;
  /** The header lines after name/type (materialization, columns). */
  header: string;
  first: string;
  second: string;
  /** Expected rows after the second run, ordered by `orderBy`. */
  expected: Record<string, unknown>[];
  orderBy: string;
  columns: string;
}

type Value = number | string;

/** `SELECT 1 AS id, 'a' AS name UNION ALL SELECT 2, 'b'`: literal rows with the first row naming the columns. */
export function selectRows(columns: readonly string[], rows: readonly (readonly Value[])[]): string {
  const literal = (v: Value) => (typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);
  return rows
    .map(
      (row, i) => `SELECT ${row.map((v, j) => (i === 0 ? `${literal(v)} AS ${columns[j]}` : literal(v))).join(", ")}`,
    )
    .join(" UNION ALL ");
}

const merge = [
  "materialization: {type: table, strategy: merge}",
  "columns:",
  "  - {name: id, primary_key: true}",
  "  - {name: name, update_on_merge: true}",
  "  - {name: note}",
  "  - {name: col_a, merge_sql: 'GREATEST(target.col_a, source.col_a)'}",
  "  - {name: col_b, merge_sql: 'target.col_b + source.col_b'}",
].join("\n");

export const STRATEGY_SCENARIOS: StrategyScenario[] = [
  {
    strategy: "create+replace",
    header: "materialization: {type: table, strategy: create+replace}",
    first: selectRows(
      ["id", "v"],
      [
        [1, "a"],
        [2, "b"],
      ],
    ),
    second: selectRows(["id", "v"], [[3, "c"]]),
    columns: "id, v",
    orderBy: "id",
    expected: [{ id: 3, v: "c" }],
  },
  {
    strategy: "append",
    header: "materialization: {type: table, strategy: append}",
    first: selectRows(
      ["id", "v"],
      [
        [1, "a"],
        [2, "b"],
      ],
    ),
    // Columns in another order: rows are inserted by column name.
    second: selectRows(
      ["v", "id"],
      [
        ["c", 3],
        ["b", 2],
      ],
    ),
    columns: "id, v",
    orderBy: "id, v",
    expected: [
      { id: 1, v: "a" },
      { id: 2, v: "b" },
      { id: 2, v: "b" },
      { id: 3, v: "c" },
    ],
  },
  {
    strategy: "delete+insert",
    header: "materialization: {type: table, strategy: delete+insert, incremental_key: day}",
    first: selectRows(
      ["day", "n"],
      [
        [1, 10],
        [1, 11],
        [2, 20],
        [3, 30],
      ],
    ),
    second: selectRows(
      ["day", "n"],
      [
        [2, 21],
        [2, 22],
        [4, 40],
      ],
    ),
    columns: "day, n",
    orderBy: "day, n",
    expected: [
      { day: 1, n: 10 },
      { day: 1, n: 11 },
      { day: 2, n: 21 },
      { day: 2, n: 22 },
      { day: 3, n: 30 },
      { day: 4, n: 40 },
    ],
  },
  {
    strategy: "truncate+insert",
    header: "materialization: {type: table, strategy: truncate+insert}",
    first: selectRows(
      ["id", "v"],
      [
        [1, "a"],
        [2, "b"],
      ],
    ),
    second: selectRows(["id", "v"], [[3, "c"]]),
    columns: "id, v",
    orderBy: "id",
    expected: [{ id: 3, v: "c" }],
  },
  {
    strategy: "merge",
    header: merge,
    first: selectRows(
      ["id", "name", "note", "col_a", "col_b"],
      [
        [1, "a", "x", 5, 10],
        [2, "b", "y", 1, 1],
      ],
    ),
    second: selectRows(
      ["id", "name", "note", "col_a", "col_b"],
      [
        [2, "B", "Y", 3, 5],
        [3, "c", "z", 7, 7],
      ],
    ),
    columns: "id, name, note, col_a, col_b",
    orderBy: "id",
    expected: [
      // untouched: key 1 is not in the new result
      { id: 1, name: "a", note: "x", col_a: 5, col_b: 10 },
      // matched: name overwritten (update_on_merge), note kept, col_a/col_b from merge_sql
      { id: 2, name: "B", note: "y", col_a: 3, col_b: 6 },
      // new key inserted as is
      { id: 3, name: "c", note: "z", col_a: 7, col_b: 7 },
    ],
  },
];
