import { randomBytes } from "node:crypto";

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

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`'${value}' is not a finite number`);
  return String(value);
}

/** The first value of the first row as a number (counts come back as number, bigint string or boolean). */
export function scalarNumber(
  rows: ReadonlyArray<Record<string, unknown>>,
  columns: readonly string[],
): number | null | undefined {
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
