import { expect, it } from "vitest";
import type { RunResult } from "../model.js";
import { selectRows } from "./strategy-scenarios.js";

/**
 * Two-run workflows on keys of two columns, in SQL every engine accepts. In
 * each, some rows share one key column but not the other; a key condition
 * joined with OR instead of AND (or a key column dropped) would match them
 * and overwrite or delete the wrong rows, or skip the new ones. Values of one
 * column have one length: MySQL sizes the columns from the first run's rows.
 */
export interface CompositeKeyCase {
  title: string;
  header: string;
  first: string;
  second: string;
  columns: string;
  orderBy: string;
  expected: Record<string, unknown>[];
}

const mergeHeader = (updates: boolean) =>
  [
    "materialization: {type: table, strategy: merge}",
    "columns:",
    "  - {name: region, primary_key: true}",
    "  - {name: id, primary_key: true}",
    updates ? "  - {name: v, update_on_merge: true}" : "  - {name: v}",
  ].join("\n");

const FIRST = selectRows(
  ["region", "id", "v"],
  [
    ["eu", 1, "eu1-"],
    ["us", 1, "us1-"],
    ["eu", 2, "eu2-"],
  ],
);
// ("eu", 1) matches one row; ("us", 2) shares its region with ("us", 1) and its id with ("eu", 2) but is new.
const SECOND = selectRows(
  ["region", "id", "v"],
  [
    ["eu", 1, "eu1*"],
    ["us", 2, "us2+"],
  ],
);

export const COMPOSITE_KEY_CASES: CompositeKeyCase[] = [
  {
    title: "merge updates only the row matching both key columns and inserts the new pair",
    header: mergeHeader(true),
    first: FIRST,
    second: SECOND,
    columns: "region, id, v",
    orderBy: "region, id",
    expected: [
      { region: "eu", id: 1, v: "eu1*" },
      { region: "eu", id: 2, v: "eu2-" },
      { region: "us", id: 1, v: "us1-" },
      { region: "us", id: 2, v: "us2+" },
    ],
  },
  {
    title: "merge without update columns inserts a pair whose columns each match another row",
    header: mergeHeader(false),
    first: FIRST,
    second: SECOND,
    columns: "region, id, v",
    orderBy: "region, id",
    expected: [
      { region: "eu", id: 1, v: "eu1-" },
      { region: "eu", id: 2, v: "eu2-" },
      { region: "us", id: 1, v: "us1-" },
      { region: "us", id: 2, v: "us2+" },
    ],
  },
  {
    title: "delete+insert replaces the rows of the incremental key only, keeping rows that share the other column",
    header: "materialization: {type: table, strategy: delete+insert, incremental_key: day}",
    first: selectRows(
      ["day", "id", "v"],
      [
        [1, 1, "d1i1-"],
        [1, 2, "d1i2-"],
        [2, 1, "d2i1-"],
        [3, 2, "d3i2-"],
      ],
    ),
    // Day 1 is replaced by one row; ids 1 and 2 live on in days 2 and 3.
    second: selectRows(
      ["day", "id", "v"],
      [
        [1, 1, "d1i1*"],
        [4, 2, "d4i2+"],
      ],
    ),
    columns: "day, id, v",
    orderBy: "day, id",
    expected: [
      { day: 1, id: 1, v: "d1i1*" },
      { day: 2, id: 1, v: "d2i1-" },
      { day: 3, id: 2, v: "d3i2-" },
      { day: 4, id: 2, v: "d4i2+" },
    ],
  },
];

/** One engine the composite-key workflows run on. */
export interface CompositeKeyEngine {
  /** A table name the engine accepts, unique per case (schema-qualified on servers). */
  table: (index: number) => string;
  /** Writes the asset (name, type and `header`) with `query` and runs the pipeline. */
  run: (table: string, header: string, query: string, options: { fullRefresh?: boolean }) => Promise<RunResult>;
  rows: (sql: string) => Promise<Record<string, unknown>[]>;
}

/** Registers each composite-key case: a full refresh, then the strategy on changed data, then the exact rows. */
export function compositeKeyTests(engine: CompositeKeyEngine): void {
  for (const [i, c] of COMPOSITE_KEY_CASES.entries()) {
    it(c.title, async () => {
      const table = engine.table(i);
      const first = await engine.run(table, c.header, c.first, { fullRefresh: true });
      expect(first.tasks.map((t) => [t.status, t.error])).toEqual([["succeeded", undefined]]);
      const second = await engine.run(table, c.header, c.second, {});
      expect(second.tasks.map((t) => [t.status, t.error])).toEqual([["succeeded", undefined]]);
      expect(await engine.rows(`SELECT ${c.columns} FROM ${table} ORDER BY ${c.orderBy}`)).toEqual(c.expected);
    });
  }
}
