import type { ConnectionAdapter, Dialect } from "@bruin-ts/connections";
import type { ColumnCheckTask, CustomCheckTask } from "./model.js";
import { COLUMN_CHECK_NAMES, RELATIONSHIPS_CHECK } from "./asset-fields.js";
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

/**
 * The `relationships` check: child rows whose non-null value is missing from
 * the parent column, counted in plain SQL (NOT EXISTS), which every engine runs.
 */
export function relationshipsCheckQuery(
  dialect: Dialect,
  table: string,
  column: string,
  parent: { table: string; column: string },
): string {
  const engine = engineForDialect(dialect);
  const c = `child.${engine.quoteIdent(column)}`;
  return (
    `SELECT COUNT(*) AS violations FROM ${engine.quoteTable(table)} child WHERE ${c} IS NOT NULL AND NOT EXISTS ` +
    `(SELECT 1 FROM ${engine.quoteTable(parent.table)} parent WHERE parent.${engine.quoteIdent(parent.column)} = ${c})`
  );
}

/** Counts violating rows; the message gives the count only, never row values. */
export async function runColumnCheck(adapter: ConnectionAdapter, task: ColumnCheckTask): Promise<void> {
  const { asset, column, check } = task;
  let sql: string;
  if (check.name === RELATIONSHIPS_CHECK) {
    if (!column.foreignKey)
      throw new Error(`check '${check.name}' on column '${column.name}' of '${asset.name}' needs 'foreign_key'`);
    sql = relationshipsCheckQuery(adapter.dialect, asset.name, column.name, column.foreignKey);
  } else sql = columnCheckQuery(adapter.dialect, asset.name, column.name, check.name, check.value);
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
  const prefix = `custom check '${check.name}' of '${asset.name}' failed`;
  if (check.count !== undefined) {
    const counted = await adapter.query(
      `SELECT COUNT(*) AS row_count FROM (${stripTrailingSemicolons(renderedQuery)}) counted_rows`,
    );
    const rows = scalarNumber(counted.rows, counted.columns);
    if (rows !== check.count)
      throw new Error(
        `${prefix}: the query returned ${rows ?? 0} ${rows === 1 ? "row" : "rows"}, expected ${check.count}`,
      );
    return;
  }
  const result = await adapter.query(stripTrailingSemicolons(renderedQuery));
  const actual = scalarNumber(result.rows, result.columns);
  if (actual === undefined) throw new Error(`${prefix}: the query returned no rows, expected ${check.value}`);
  if (actual === null) throw new Error(`${prefix}: the query returned NULL, expected ${check.value}`);
  if (Number.isNaN(actual))
    throw new Error(`${prefix}: the query returned a value that is not a number, expected ${check.value}`);
  if (actual !== check.value) throw new Error(`${prefix}: returned ${actual}, expected ${check.value}`);
}
