import type { ConnectionAdapter } from "@bruin-ts/connections";
import type { Asset } from "./model.js";
import { siblingName, splitName, sqlString, stripTrailingSemicolons } from "./sql.js";

export const SUPPORTED_TABLE_STRATEGIES = ["create+replace"] as const;

/**
 * Runs an asset's rendered query the way its materialization says:
 * as written, as a view, or as a table rebuilt atomically (a failing query
 * leaves the previous table and its rows untouched).
 */
export async function materializeAsset(adapter: ConnectionAdapter, asset: Asset, renderedQuery: string): Promise<void> {
  const m = asset.materialization;
  if (!m) {
    await adapter.exec(renderedQuery);
    return;
  }
  const query = stripTrailingSemicolons(renderedQuery);
  if (m.type === "view") {
    await ensureParent(adapter, asset.name);
    const createView = adapter.dialect.name === "mssql" ? "CREATE OR ALTER VIEW" : "CREATE OR REPLACE VIEW";
    await adapter.exec(`${createView} ${adapter.dialect.quoteName(asset.name)} AS\n${query}`);
    return;
  }
  const strategy = m.strategy ?? "create+replace";
  if (strategy !== "create+replace") throw new Error(`materialization strategy '${strategy}' is not supported yet`);
  await ensureParent(adapter, asset.name);
  await replaceTable(adapter, asset.name, query);
}

/** Creates the schema (or, on MySQL, the database) a qualified name lives in. */
async function ensureParent(adapter: ConnectionAdapter, name: string): Promise<void> {
  const { parent } = splitName(name);
  if (!parent) return;
  const { dialect } = adapter;
  let statement: string;
  if (dialect.name === "mysql") statement = `CREATE DATABASE IF NOT EXISTS ${dialect.quoteName(parent)}`;
  else if (dialect.supportsSchemas) statement = `CREATE SCHEMA IF NOT EXISTS ${dialect.quoteName(parent)}`;
  else return;
  try {
    await adapter.exec(statement);
  } catch {
    // Two tasks creating the same schema at once can race on PostgreSQL
    // ("duplicate key value"); the second attempt then sees it exists.
    await adapter.exec(statement);
  }
}

async function replaceTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
  const { dialect } = adapter;
  const q = (n: string) => dialect.quoteName(n);
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
        `ALTER TABLE ${q(tmp)} RENAME TO ${dialect.quoteIdentifier(splitName(name).table)}`,
      ]);
      return;
    }
    case "mysql":
      await replaceMySqlTable(adapter, name, query);
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
  const { dialect } = adapter;
  const q = (n: string) => dialect.quoteName(n);
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
