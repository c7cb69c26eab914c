import type { ConnectionAdapter } from "@bruin-ts/connections";
import { quoteIdent, quoteTable, siblingName, splitName, sqlString } from "./sql.js";

/** Creates the schema (or, on MySQL, the database) a qualified name lives in. */
export async function ensureParent(adapter: ConnectionAdapter, name: string): Promise<void> {
  const { parent } = splitName(name);
  if (!parent) return;
  const { dialect } = adapter;
  let statement: string;
  if (dialect.name === "mysql") statement = `CREATE DATABASE IF NOT EXISTS ${quoteTable(parent, dialect)}`;
  else if (dialect.name === "mssql") {
    // SQL Server has no CREATE SCHEMA IF NOT EXISTS, and CREATE SCHEMA must be alone in its batch.
    if (parent.includes(".")) return;
    const create = `CREATE SCHEMA ${quoteIdent(parent, dialect)}`;
    statement = `IF SCHEMA_ID(${sqlString(parent, dialect)}) IS NULL EXEC(${sqlString(create, dialect)})`;
  } else if (dialect.supportsSchemas) statement = `CREATE SCHEMA IF NOT EXISTS ${quoteTable(parent, dialect)}`;
  else return;
  try {
    await adapter.exec(statement);
  } catch {
    // Two tasks creating the same schema at once can race on PostgreSQL
    // ("duplicate key value"); the second attempt then sees it exists.
    await adapter.exec(statement);
  }
}

/** Creates or replaces a view; SQL Server spells it CREATE OR ALTER. */
export async function replaceView(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
  const { dialect } = adapter;
  await ensureParent(adapter, name);
  const createView = dialect.name === "mssql" ? "CREATE OR ALTER VIEW" : "CREATE OR REPLACE VIEW";
  await adapter.exec(`${createView} ${quoteTable(name, dialect)} AS\n${query}`);
}

/**
 * Builds the table from the query and swaps it in atomically: a failing query
 * leaves the previous table and its rows untouched.
 */
export async function replaceTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
  const { dialect } = adapter;
  const q = (n: string) => quoteTable(n, dialect);
  await ensureParent(adapter, name);
  switch (dialect.name) {
    case "duckdb":
      await adapter.transaction([`CREATE OR REPLACE TABLE ${q(name)} AS\n${query}`]);
      return;
    // These engines swap the table atomically in CREATE OR REPLACE itself.
    case "snowflake":
    case "bigquery":
    case "databricks":
      await adapter.exec(`CREATE OR REPLACE TABLE ${q(name)} AS\n${query}`);
      return;
    case "postgres":
    case "redshift": {
      const tmp = siblingName(name, "__bruin_tmp_");
      // DDL is transactional: on any failure everything rolls back, tmp included.
      // DROP fails (rather than cascading) when views depend on the table.
      await adapter.transaction([
        `CREATE TABLE ${q(tmp)} AS\n${query}`,
        `DROP TABLE IF EXISTS ${q(name)}`,
        `ALTER TABLE ${q(tmp)} RENAME TO ${quoteIdent(splitName(name).table, dialect)}`,
      ]);
      return;
    }
    case "mysql":
      await replaceMySqlTable(adapter, name, query);
      return;
    case "mssql":
      await replaceSqlServerTable(adapter, name, query);
      return;
    default:
      throw new Error(`table materialization on ${dialect.name} is not supported yet`);
  }
}

/**
 * MySQL commits DDL implicitly, so build the new table beside the old one and
 * swap both names in one atomic RENAME TABLE; the old one is dropped after.
 */
async function replaceMySqlTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
  const q = (n: string) => quoteTable(n, adapter.dialect);
  const tmp = siblingName(name, "__bruin_tmp_");
  const old = siblingName(name, "__bruin_old_");
  try {
    await adapter.exec(`CREATE TABLE ${q(tmp)} AS\n${query}`);
    const existing = await mySqlObjectType(adapter, name);
    if (existing) {
      await adapter.exec(`RENAME TABLE ${q(name)} TO ${q(old)}, ${q(tmp)} TO ${q(name)}`);
      await adapter.exec(`${existing === "VIEW" ? "DROP VIEW" : "DROP TABLE"} ${q(old)}`);
    } else {
      await adapter.exec(`RENAME TABLE ${q(tmp)} TO ${q(name)}`);
    }
  } catch (error) {
    await adapter.exec(`DROP TABLE IF EXISTS ${q(tmp)}`).catch(() => undefined);
    throw error;
  }
}

async function mySqlObjectType(adapter: ConnectionAdapter, name: string): Promise<"TABLE" | "VIEW" | undefined> {
  const { parent, table } = splitName(name);
  const schema = parent ? sqlString(parent, adapter.dialect) : "DATABASE()";
  const result = await adapter.query(
    `SELECT table_type AS t FROM information_schema.tables WHERE table_schema = ${schema} AND table_name = ${sqlString(table, adapter.dialect)}`,
  );
  const row = result.rows[0];
  if (!row) return undefined;
  const type = String(row.t ?? Object.values(row)[0] ?? "");
  return type === "VIEW" ? "VIEW" : "TABLE";
}

/**
 * SQL Server: SELECT ... INTO a new table (the slow part, outside any
 * transaction), then drop the old table and sp_rename the new one in one
 * transaction (SQL Server's DDL is transactional). The query is wrapped as a
 * derived table, so it cannot start with WITH or end with ORDER BY there.
 */
async function replaceSqlServerTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
  const { dialect } = adapter;
  const q = (n: string) => quoteTable(n, dialect);
  const tmp = siblingName(name, "__bruin_tmp_");
  try {
    await adapter.exec(`SELECT * INTO ${q(tmp)} FROM (\n${query}\n) AS __bruin_source`);
    await adapter.transaction([
      `DROP TABLE IF EXISTS ${q(name)}`,
      `EXEC sp_rename ${sqlString(q(tmp), dialect)}, ${sqlString(splitName(name).table, dialect)}`,
    ]);
  } catch (error) {
    await adapter.exec(`DROP TABLE IF EXISTS ${q(tmp)}`).catch(() => undefined);
    throw error;
  }
}
