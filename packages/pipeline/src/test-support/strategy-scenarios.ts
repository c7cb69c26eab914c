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

/** Literal rows whose `day` column is a DATE. */
const days = (rows: readonly (readonly [string, number])[]) =>
  rows.map(([day, n]) => `SELECT DATE '${day}' AS day, ${n} AS n`).join(" UNION ALL ");

/** Literal rows of an SCD2 source: id, v and the DATE ts. */
const versions = (rows: readonly (readonly [number, string, string])[]) =>
  rows.map(([id, v, ts]) => `SELECT ${id} AS id, '${v}' AS v, DATE '${ts}' AS ts`).join(" UNION ALL ");

const text = (v: string | null) => (v === null ? "NULL" : `'${v}'`);

/** Hub rows: hash key, business key, load day, record source. */
const hubRows = (rows: readonly (readonly [string, string | null, string, string])[]) =>
  rows
    .map(
      ([hk, id, day, source]) =>
        `SELECT '${hk}' AS customer_hk, ${text(id)} AS customer_id, TIMESTAMP '${day} 00:00:00' AS load_dts, '${source}' AS record_source`,
    )
    .join(" UNION ALL ");

/** Link rows: link hash key, the two hub hash keys, load day. */
const linkRows = (rows: readonly (readonly [string, string, string, string])[]) =>
  rows
    .map(
      ([hk, customer, order, day]) =>
        `SELECT '${hk}' AS customer_order_hk, '${customer}' AS customer_hk, '${order}' AS order_hk, ` +
        `TIMESTAMP '${day} 00:00:00' AS load_dts, 'shop' AS record_source`,
    )
    .join(" UNION ALL ");

/** Satellite rows: parent hash key, hashdiff, load day, name. */
const satelliteRows = (rows: readonly (readonly [string, string, string, string])[]) =>
  rows
    .map(
      ([hk, diff, day, name]) =>
        `SELECT '${hk}' AS customer_hk, '${diff}' AS hashdiff, TIMESTAMP '${day} 00:00:00' AS load_dts, ` +
        `'crm' AS record_source, '${name}' AS customer_name`,
    )
    .join(" UNION ALL ");

/** SCD2 rows as every engine returns them: `_is_current` as 1 or 0. */
const SCD2_COLUMNS = "id, v, CASE WHEN _is_current THEN 1 ELSE 0 END AS cur";

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
  {
    strategy: "time_interval",
    // The run's interval is 2024-03-05 (see DAY in duckdb-run.ts).
    header: "materialization: {type: table, strategy: time_interval, incremental_key: day, time_granularity: date}",
    first: days([
      ["2024-03-04", 1],
      ["2024-03-05", 2],
      ["2024-03-06", 3],
    ]),
    second: days([
      ["2024-03-05", 20],
      ["2024-03-05", 21],
    ]),
    columns: "CAST(day AS CHAR(10)) AS day, n",
    orderBy: "day, n",
    expected: [
      { day: "2024-03-04", n: 1 },
      { day: "2024-03-05", n: 20 },
      { day: "2024-03-05", n: 21 },
      { day: "2024-03-06", n: 3 },
    ],
  },
  {
    strategy: "scd2_by_column",
    header: "materialization: {type: table, strategy: scd2_by_column}\ncolumns:\n  - {name: id, primary_key: true}",
    first: selectRows(
      ["id", "v"],
      [
        [1, "a"],
        [2, "b"],
        [3, "c"],
      ],
    ),
    second: selectRows(
      ["id", "v"],
      [
        [1, "a"],
        [2, "B"],
        [4, "d"],
      ],
    ),
    columns: SCD2_COLUMNS,
    orderBy: "id, cur",
    expected: [
      { id: 1, v: "a", cur: 1 },
      { id: 2, v: "b", cur: 0 },
      { id: 2, v: "B", cur: 1 },
      { id: 3, v: "c", cur: 0 },
      { id: 4, v: "d", cur: 1 },
    ],
  },
  {
    strategy: "scd2_by_time",
    header: [
      "materialization: {type: table, strategy: scd2_by_time, incremental_key: ts}",
      "columns:",
      "  - {name: id, primary_key: true}",
      "  - {name: ts, type: date}",
    ].join("\n"),
    first: versions([
      [1, "a", "2024-01-01"],
      [2, "b", "2024-01-01"],
      [3, "c", "2024-01-01"],
    ]),
    // Key 1 comes again at the same time (no new version); key 2 at a later one (a new version).
    second: versions([
      [1, "a", "2024-01-01"],
      [2, "B", "2024-02-01"],
      [4, "d", "2024-02-01"],
    ]),
    columns: SCD2_COLUMNS,
    orderBy: "id, cur",
    expected: [
      { id: 1, v: "a", cur: 1 },
      { id: 2, v: "b", cur: 0 },
      { id: 2, v: "B", cur: 1 },
      { id: 3, v: "c", cur: 0 },
      { id: 4, v: "d", cur: 1 },
    ],
  },
  {
    strategy: "ddl",
    // The table comes from the columns; the query is not run (so it can even be invalid).
    header: [
      "materialization: {type: table, strategy: ddl}",
      "columns:",
      "  - {name: id, type: INTEGER, primary_key: true}",
      '  - {name: v, type: VARCHAR(20), description: "the value"}',
    ].join("\n"),
    first: "SELECT this is not SQL",
    second: "SELECT nor is this",
    columns: "id, v",
    orderBy: "id",
    expected: [],
  },
  {
    strategy: "datavault_hub",
    header: [
      "materialization: {type: table, strategy: datavault_hub}",
      "columns:",
      "  - {name: customer_hk, type: VARCHAR(20), meta: {datavault_role: hash_key}}",
      "  - {name: customer_id, type: VARCHAR(20), meta: {datavault_role: business_key}}",
      "  - {name: load_dts, type: TIMESTAMP, meta: {datavault_role: load_datetime}}",
      "  - {name: record_source, type: VARCHAR(20), meta: {datavault_role: record_source}}",
    ].join("\n"),
    // Per hash key the earliest row is kept; a row with a NULL business key is skipped.
    first: hubRows([
      ["hk1", "c1", "2024-01-01", "crm"],
      ["hk2", "c2", "2024-01-02", "crm"],
      ["hk2", "c2", "2024-01-01", "erp"],
      ["hk3", null, "2024-01-01", "crm"],
    ]),
    // A known key is not inserted again.
    second: hubRows([
      ["hk1", "c1", "2024-02-01", "web"],
      ["hk4", "c4", "2024-02-01", "web"],
    ]),
    columns: "customer_hk, customer_id, record_source",
    orderBy: "customer_hk",
    expected: [
      { customer_hk: "hk1", customer_id: "c1", record_source: "crm" },
      { customer_hk: "hk2", customer_id: "c2", record_source: "erp" },
      { customer_hk: "hk4", customer_id: "c4", record_source: "web" },
    ],
  },
  {
    strategy: "datavault_link",
    header: [
      "materialization: {type: table, strategy: datavault_link}",
      "columns:",
      "  - {name: customer_order_hk, type: VARCHAR(20), meta: {datavault_role: link_hash_key}}",
      "  - {name: customer_hk, type: VARCHAR(20), meta: {datavault_role: hub_hash_key}}",
      "  - {name: order_hk, type: VARCHAR(20)}",
      "  - {name: load_dts, type: TIMESTAMP}",
      "  - {name: record_source, type: VARCHAR(20)}",
    ].join("\n"),
    first: linkRows([
      ["l1", "hk1", "o1", "2024-01-01"],
      ["l2", "hk2", "o2", "2024-01-01"],
    ]),
    second: linkRows([
      ["l1", "hk1", "o1", "2024-02-01"],
      ["l3", "hk1", "o3", "2024-02-01"],
    ]),
    columns: "customer_order_hk, customer_hk, order_hk",
    orderBy: "customer_order_hk",
    expected: [
      { customer_order_hk: "l1", customer_hk: "hk1", order_hk: "o1" },
      { customer_order_hk: "l2", customer_hk: "hk2", order_hk: "o2" },
      { customer_order_hk: "l3", customer_hk: "hk1", order_hk: "o3" },
    ],
  },
  {
    strategy: "datavault_satellite",
    header: [
      "materialization: {type: table, strategy: datavault_satellite}",
      "columns:",
      "  - {name: customer_hk, type: VARCHAR(20), meta: {datavault_role: parent_hash_key}}",
      "  - {name: hashdiff, type: VARCHAR(20), meta: {datavault_role: hashdiff}}",
      "  - {name: load_dts, type: TIMESTAMP, meta: {datavault_role: load_datetime}}",
      "  - {name: record_source, type: VARCHAR(20), meta: {datavault_role: record_source}}",
      "  - {name: customer_name, type: VARCHAR(20)}",
    ].join("\n"),
    // An unchanged hashdiff in a row after the first is not a new version.
    first: satelliteRows([
      ["hk1", "d1", "2024-01-01", "Ann"],
      ["hk1", "d1", "2024-01-02", "Ann"],
      ["hk1", "d2", "2024-01-03", "Annie"],
      ["hk2", "e1", "2024-01-01", "Bob"],
    ]),
    // hk1 comes unchanged from its latest version; hk2 changes, then changes back.
    second: satelliteRows([
      ["hk1", "d2", "2024-02-01", "Annie"],
      ["hk2", "e2", "2024-02-01", "Bobby"],
      ["hk2", "e1", "2024-02-02", "Bob"],
    ]),
    columns: "customer_hk, hashdiff, customer_name",
    orderBy: "customer_hk, load_dts",
    expected: [
      { customer_hk: "hk1", hashdiff: "d1", customer_name: "Ann" },
      { customer_hk: "hk1", hashdiff: "d2", customer_name: "Annie" },
      { customer_hk: "hk2", hashdiff: "e1", customer_name: "Bob" },
      { customer_hk: "hk2", hashdiff: "e2", customer_name: "Bobby" },
      { customer_hk: "hk2", hashdiff: "e1", customer_name: "Bob" },
    ],
  },
];
