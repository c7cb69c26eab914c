import { splitStatements, type ConnectionAdapter } from "@bruin-ts/connections";
import { applyIncremental } from "./incremental.js";
import type { Asset } from "./model.js";
import { replaceTable, replaceView } from "./replace-table.js";
import { INCREMENTAL_DIALECTS, isTableStrategy, TABLE_STRATEGIES } from "./strategies.js";
import { stripTrailingSemicolons } from "./sql.js";
import { tableExists } from "./table-info.js";

export interface MaterializeOptions {
  /** Rebuild incremental tables from scratch (create+replace), as `--full-refresh` asks. */
  fullRefresh?: boolean;
}

/** Adapters that run a whole `;`-separated script on one session in one call. */
const NATIVE_SCRIPTS = new Set(["duckdb", "postgres", "redshift", "mysql", "mssql"]);
const BACKSLASH_ESCAPES = new Set(["mysql", "bigquery", "databricks", "snowflake"]);

/**
 * Runs an asset's rendered query the way its materialization says: as
 * written, as a view, or as a table. Tables are changed atomically where the
 * engine allows it: a failing query leaves the previous table and its rows
 * untouched. An incremental strategy on a table that does not exist yet
 * creates it.
 */
export async function materializeAsset(
  adapter: ConnectionAdapter,
  asset: Asset,
  renderedQuery: string,
  options: MaterializeOptions = {},
): Promise<void> {
  const m = asset.materialization;
  if (!m) {
    await runScript(adapter, renderedQuery);
    return;
  }
  const query = stripTrailingSemicolons(renderedQuery);
  if (m.type === "view") {
    await replaceView(adapter, asset.name, query);
    return;
  }
  const strategy = m.strategy ?? "create+replace";
  if (!isTableStrategy(strategy)) {
    throw new Error(`materialization strategy '${strategy}' is not supported; use one of: ${TABLE_STRATEGIES.join(", ")}`);
  }
  if (strategy === "create+replace" || options.fullRefresh) {
    await replaceTable(adapter, asset.name, query);
    return;
  }
  if (!(INCREMENTAL_DIALECTS as readonly string[]).includes(adapter.dialect.name)) {
    throw new Error(`materialization strategy '${strategy}' is not supported on ${adapter.dialect.name} yet`);
  }
  if (!(await tableExists(adapter, asset.name))) {
    await replaceTable(adapter, asset.name, query);
    return;
  }
  await applyIncremental(adapter, asset, strategy, query);
}

/**
 * An asset without materialization runs as written. Engines whose adapters
 * take a whole script get it in one call (one session, so `SET` and temp
 * tables carry over); others get the statements one by one, in order.
 */
async function runScript(adapter: ConnectionAdapter, script: string): Promise<void> {
  const statements = splitStatements(script, { backslashEscapes: BACKSLASH_ESCAPES.has(adapter.dialect.name) });
  if (statements.length === 0) return;
  if (NATIVE_SCRIPTS.has(adapter.dialect.name)) {
    await adapter.exec(script);
    return;
  }
  for (const statement of statements) await adapter.exec(statement);
}
