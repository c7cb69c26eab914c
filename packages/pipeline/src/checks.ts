import type { ConnectionAdapter, Dialect } from "@bruin-ts/connections";
import type { ColumnCheckTask, CustomCheckTask } from "./model.js";
import { castToText, quoteIdent, quoteTable, scalarNumber, sqlNumber, sqlString, stripTrailingSemicolons } from "./sql.js";

function patternMismatch(column: string, pattern: string, dialect: Dialect): string {
  const text = castToText(column, dialect);
  const p = sqlString(pattern, dialect);
  switch (dialect.name) {
    case "duckdb":
      return `NOT regexp_full_match(${text}, ${p})`;
    case "postgres":
    case "redshift":
      return `${text} !~ ${p}`;
    case "mysql":
      return `${text} NOT REGEXP ${p}`;
    case "snowflake":
      return `NOT REGEXP_LIKE(${text}, ${p})`;
    case "bigquery":
      return `NOT REGEXP_CONTAINS(${text}, ${p})`;
    case "databricks":
      return `NOT (${text} RLIKE ${p})`;
    default:
      throw new Error(`the 'pattern' check is not supported on ${dialect.name === "mssql" ? "SQL Server (mssql), which has no regular expressions" : dialect.name}`);
  }
}

function notAccepted(column: string, values: readonly unknown[], dialect: Dialect): string {
  if (values.every((v) => typeof v === "number")) {
    return `${column} NOT IN (${values.map((v) => sqlNumber(v as number)).join(", ")})`;
  }
  // Mixed or textual lists compare as text, so `[1, "2"]` works on any column type.
  return `${castToText(column, dialect)} NOT IN (${values.map((v) => sqlString(String(v), dialect)).join(", ")})`;
}

/** A query returning the number of rows that violate the check, as its single value. */
export function columnCheckQuery(dialect: Dialect, table: string, column: string, check: string, value?: unknown): string {
  const t = quoteTable(table, dialect);
  const c = quoteIdent(column, dialect);
  if (check === "unique") return `SELECT COUNT(${c}) - COUNT(DISTINCT ${c}) AS violations FROM ${t}`;
  const where = (() => {
    switch (check) {
      case "not_null":
        return `${c} IS NULL`;
      case "positive":
        return `${c} <= 0`;
      case "negative":
        return `${c} >= 0`;
      case "non_negative":
        return `${c} < 0`;
      case "min":
        return `${c} < ${sqlNumber(Number(value))}`;
      case "max":
        return `${c} > ${sqlNumber(Number(value))}`;
      case "accepted_values":
        return notAccepted(c, Array.isArray(value) ? value : [], dialect);
      case "pattern":
        return patternMismatch(c, String(value), dialect);
      default:
        throw new Error(`unknown column check '${check}'`);
    }
  })();
  return `SELECT COUNT(*) AS violations FROM ${t} WHERE ${where}`;
}

/** Counts violating rows; the message gives the count only, never row values. */
export async function runColumnCheck(adapter: ConnectionAdapter, task: ColumnCheckTask): Promise<void> {
  const { asset, column, check } = task;
  const sql = columnCheckQuery(adapter.dialect, asset.name, column.name, check.name, check.value);
  const result = await adapter.query(sql);
  const violations = scalarNumber(result.rows, result.columns);
  if (typeof violations !== "number" || Number.isNaN(violations)) {
    throw new Error(`check '${check.name}' on column '${column.name}' of '${asset.name}' returned no count`);
  }
  if (violations > 0) {
    throw new Error(`check '${check.name}' on column '${column.name}' of '${asset.name}' failed: ${violations} ${violations === 1 ? "row" : "rows"}`);
  }
}

/** Runs an already rendered custom check query; its single value must equal the expected one. */
export async function runCustomCheck(adapter: ConnectionAdapter, task: CustomCheckTask, renderedQuery: string): Promise<void> {
  const { asset, check } = task;
  const result = await adapter.query(stripTrailingSemicolons(renderedQuery));
  const actual = scalarNumber(result.rows, result.columns);
  const prefix = `custom check '${check.name}' of '${asset.name}' failed`;
  if (actual === undefined) throw new Error(`${prefix}: the query returned no rows, expected ${check.value}`);
  if (actual === null) throw new Error(`${prefix}: the query returned NULL, expected ${check.value}`);
  if (Number.isNaN(actual)) throw new Error(`${prefix}: the query returned a value that is not a number, expected ${check.value}`);
  if (actual !== check.value) throw new Error(`${prefix}: returned ${actual}, expected ${check.value}`);
}
