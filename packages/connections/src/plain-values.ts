import { parseInt8, parseNumeric } from "./postgres-config.js";

/**
 * Conversions shared by the adapters whose drivers hand back wrapper objects
 * or exact strings, so every engine answers with the same plain JS values.
 */

/** A 64-bit integer (bigint or its decimal text) → number when safe, else the decimal text. */
export function plainInteger(value: bigint | string | number): number | string {
  if (typeof value === "number") return value;
  return parseInt8(typeof value === "bigint" ? value.toString() : value);
}

/** An exact decimal (text) → number when 15 significant digits hold it, else the text. */
export function plainDecimal(value: string | number): number | string {
  return typeof value === "number" ? value : parseNumeric(value);
}

/** A Date (at UTC midnight for DATE columns) → 'YYYY-MM-DD'. */
export function plainDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/** Column names in first-seen order over all rows (for engines without a result schema). */
export function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}
