import { randomBytes } from "node:crypto";
import type { Dialect } from "@bruin-ts/connections";

/** `mart.revenue` → `{ parent: "mart", table: "revenue" }`; three-part names keep `db.schema` as the parent. */
export function splitName(name: string): { parent?: string; table: string } {
  const parts = name.split(".");
  const table = parts.pop()!;
  return parts.length > 0 ? { parent: parts.join("."), table } : { table };
}

/** A sibling name in the same schema/database, for build-then-swap. */
export function siblingName(name: string, prefix: string): string {
  const { parent } = splitName(name);
  const table = `${prefix}${randomBytes(6).toString("hex")}`;
  return parent ? `${parent}.${table}` : table;
}

/** Drops trailing `;` (and whitespace) so the query can be wrapped in CREATE ... AS. */
export function stripTrailingSemicolons(query: string): string {
  let q = query.trimEnd();
  while (q.endsWith(";")) q = q.slice(0, -1).trimEnd();
  return q.trim();
}

/** Engines whose string literals treat `\` as an escape character by default. */
const BACKSLASH_ESCAPES = new Set(["mysql", "bigquery", "databricks", "snowflake"]);

export function sqlString(value: string, dialect: Dialect): string {
  let body = value.replaceAll("'", "''");
  if (BACKSLASH_ESCAPES.has(dialect.name)) body = body.replaceAll("\\", "\\\\");
  return `'${body}'`;
}

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`'${value}' is not a finite number`);
  return String(value);
}

const TEXT_TYPE: Record<string, string> = {
  duckdb: "VARCHAR",
  postgres: "TEXT",
  redshift: "VARCHAR",
  mysql: "CHAR",
  mssql: "NVARCHAR(MAX)",
  snowflake: "VARCHAR",
  bigquery: "STRING",
  databricks: "STRING",
};

export function castToText(expression: string, dialect: Dialect): string {
  return `CAST(${expression} AS ${TEXT_TYPE[dialect.name] ?? "VARCHAR"})`;
}

/** The first value of the first row as a number (counts come back as number, bigint string or boolean). */
export function scalarNumber(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): number | null | undefined {
  const row = rows[0];
  if (!row) return undefined;
  const key = columns[0] ?? Object.keys(row)[0];
  const value = key === undefined ? undefined : row[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  const n = typeof value === "number" ? value : Number(String(value));
  return Number.isNaN(n) ? Number.NaN : n;
}

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * Quotes one identifier part for generated SQL. Snowflake folds unquoted
 * names to upper case, so quoting `revenue` as `"revenue"` would create a
 * table that the user's own unquoted `SELECT ... FROM revenue` cannot find:
 * there, plain identifiers stay unquoted and only unusual ones are quoted.
 */
export function quoteIdent(part: string, dialect: Dialect): string {
  if (dialect.name === "snowflake" && PLAIN_IDENTIFIER.test(part)) return part;
  return dialect.quoteIdentifier(part);
}

/** Quotes a dotted name part by part (see `quoteIdent`). */
export function quoteTable(name: string, dialect: Dialect): string {
  return name
    .split(".")
    .map((part) => quoteIdent(part, dialect))
    .join(".");
}
