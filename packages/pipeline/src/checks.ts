import type { ConnectionAdapter, Dialect } from "@bruin-ts/connections";
import type { ColumnCheckTask, CustomCheckTask } from "./model.js";
import { COLUMN_CHECK_NAMES } from "./asset-fields.js";
import type { AnsiEngine } from "./engines/ansi.js";
import type { ColumnCheckName } from "./engines/engine.js";
import { checkProblem, engineForDialect } from "./engines/index.js";
import { scalarNumber, sqlNumber, stripTrailingSemicolons } from "./names.js";

function notAccepted(column: string, values: readonly unknown[], engine: AnsiEngine): string {
  if (values.every((v) => typeof v === "number")) {
    return `${column} NOT IN (${values.map((v) => sqlNumber(v as number)).join(", ")})`;
  }
  // Mixed or textual lists compare as text, so `[1, "2"]` works on any column type.
  return `${engine.castToText(column)} NOT IN (${values.map((v) => engine.stringLiteral(String(v))).join(", ")})`;
}

/** A query returning the number of rows that violate the check, as its single value, in the dialect's engine's SQL. */
export function columnCheckQuery(
  dialect: Dialect,
  table: string,
  column: string,
  check: string,
  value?: unknown,
): string {
  const engine = engineForDialect(dialect);
  if (!isColumnCheckName(check)) throw new Error(`unknown column check '${check}'`);
  const problem = checkProblem(engine, check);
  if (problem) throw new Error(problem);
  const t = engine.quoteTable(table);
  const c = engine.quoteIdent(column);
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
        return notAccepted(c, Array.isArray(value) ? value : [], engine);
      case "pattern":
        if (!engine.patternMismatch) throw new Error(engine.checkNotSupported(check));
        return engine.patternMismatch(engine.castToText(c), engine.stringLiteral(String(value)));
    }
  })();
  return `SELECT COUNT(*) AS violations FROM ${t} WHERE ${where}`;
}

function isColumnCheckName(check: string): check is ColumnCheckName {
  return (COLUMN_CHECK_NAMES as readonly string[]).includes(check);
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
    throw new Error(
      `check '${check.name}' on column '${column.name}' of '${asset.name}' failed: ${violations} ${violations === 1 ? "row" : "rows"}`,
    );
  }
}

/** Runs an already rendered custom check query; its single value must equal the expected one. */
export async function runCustomCheck(
  adapter: ConnectionAdapter,
  task: CustomCheckTask,
  renderedQuery: string,
): Promise<void> {
  const { asset, check } = task;
  const result = await adapter.query(stripTrailingSemicolons(renderedQuery));
  const actual = scalarNumber(result.rows, result.columns);
  const prefix = `custom check '${check.name}' of '${asset.name}' failed`;
  if (actual === undefined) throw new Error(`${prefix}: the query returned no rows, expected ${check.value}`);
  if (actual === null) throw new Error(`${prefix}: the query returned NULL, expected ${check.value}`);
  if (Number.isNaN(actual))
    throw new Error(`${prefix}: the query returned a value that is not a number, expected ${check.value}`);
  if (actual !== check.value) throw new Error(`${prefix}: returned ${actual}, expected ${check.value}`);
}
