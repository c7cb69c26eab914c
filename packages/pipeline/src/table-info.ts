import type { ConnectionAdapter } from "@bruin-ts/connections";
import { splitName, sqlString } from "./sql.js";

/**
 * Whether a table (or view) of that name exists, asked of information_schema.
 * An unqualified name is looked up in the session's current schema (the
 * current database on MySQL); `db.schema.table` also matches the catalog.
 */
export async function tableExists(adapter: ConnectionAdapter, name: string): Promise<boolean> {
  const { dialect } = adapter;
  const { parent, table } = splitName(name);
  const conditions = [`table_name = ${sqlString(table, dialect)}`];
  if (parent === undefined) {
    conditions.push(`table_schema = ${dialect.name === "mysql" ? "DATABASE()" : "current_schema()"}`);
  } else {
    const parts = parent.split(".");
    const schema = parts.pop()!;
    conditions.push(`table_schema = ${sqlString(schema, dialect)}`);
    if (parts.length > 0) conditions.push(`table_catalog = ${sqlString(parts.join("."), dialect)}`);
  }
  const result = await adapter.query(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE ${conditions.join(" AND ")}`);
  const row = result.rows[0];
  const value = row ? (row.n ?? Object.values(row)[0]) : 0;
  return Number(value) > 0;
}

/** The column names a query returns, without reading its rows. */
export async function queryColumns(adapter: ConnectionAdapter, query: string): Promise<string[]> {
  const result = await adapter.query(`SELECT * FROM (\n${query}\n) AS __bruin_source WHERE 1 = 0`);
  return result.columns;
}
