import type { ConnectionAdapter } from "@bruin-ts/connections";
import { engineForDialect } from "./engines/index.js";
import { splitName } from "./names.js";

/**
 * Whether a table (or view) of that name exists, asked of information_schema.
 * An unqualified name is looked up in the session's current schema (the
 * current database on MySQL); `db.schema.table` also matches the catalog.
 */
export async function tableExists(adapter: ConnectionAdapter, name: string): Promise<boolean> {
  const engine = engineForDialect(adapter.dialect);
  const { parent, table } = splitName(name);
  const conditions = [`table_name = ${engine.stringLiteral(table)}`];
  if (parent === undefined) {
    conditions.push(`table_schema = ${engine.currentSchema}`);
  } else {
    const parts = parent.split(".");
    const schema = parts.pop()!;
    conditions.push(`table_schema = ${engine.stringLiteral(schema)}`);
    if (parts.length > 0) conditions.push(`table_catalog = ${engine.stringLiteral(parts.join("."))}`);
  }
  const result = await adapter.query(
    `SELECT COUNT(*) AS n FROM information_schema.tables WHERE ${conditions.join(" AND ")}`,
  );
  const row = result.rows[0];
  const value = row ? (row.n ?? Object.values(row)[0]) : 0;
  return Number(value) > 0;
}
