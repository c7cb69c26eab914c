/**
 * One scenario per column check, in SQL that DuckDB, PostgreSQL and MySQL all
 * accept: the check passes on `good` and counts exactly one violating row in
 * `bad`. The column is `v`.
 */
export interface CheckScenario {
  check: string;
  /** The check's `value`, as YAML. */
  value?: string;
  /** YAML form of the value when it is passed to columnCheckQuery directly. */
  raw?: unknown;
  good: string;
  bad: string;
}

export const CHECK_SCENARIOS: CheckScenario[] = [
  { check: "not_null", good: "SELECT 1 AS v UNION ALL SELECT 2", bad: "SELECT 1 AS v UNION ALL SELECT NULL" },
  {
    check: "unique",
    good: "SELECT 1 AS v UNION ALL SELECT 2",
    bad: "SELECT 1 AS v UNION ALL SELECT 1 UNION ALL SELECT 2",
  },
  { check: "positive", good: "SELECT 1 AS v UNION ALL SELECT 2", bad: "SELECT 0 AS v UNION ALL SELECT 1" },
  { check: "negative", good: "SELECT -1 AS v UNION ALL SELECT -2", bad: "SELECT 0 AS v UNION ALL SELECT -1" },
  { check: "non_negative", good: "SELECT 0 AS v UNION ALL SELECT 1", bad: "SELECT -1 AS v UNION ALL SELECT 0" },
  {
    check: "min",
    value: "2",
    raw: 2,
    good: "SELECT 2 AS v UNION ALL SELECT 3",
    bad: "SELECT 1 AS v UNION ALL SELECT 2",
  },
  {
    check: "max",
    value: "2",
    raw: 2,
    good: "SELECT 1 AS v UNION ALL SELECT 2",
    bad: "SELECT 2 AS v UNION ALL SELECT 3",
  },
  {
    check: "accepted_values",
    value: '["a", "b"]',
    raw: ["a", "b"],
    good: "SELECT 'a' AS v UNION ALL SELECT 'b'",
    bad: "SELECT 'a' AS v UNION ALL SELECT 'c'",
  },
  {
    check: "pattern",
    value: "'^[a-z]-[0-9]+$'",
    raw: "^[a-z]-[0-9]+$",
    good: "SELECT 'a-1' AS v UNION ALL SELECT 'b-22'",
    bad: "SELECT 'a-1' AS v UNION ALL SELECT 'b2'",
  },
];
