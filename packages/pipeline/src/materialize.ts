import { splitStatements, type ConnectionAdapter } from "@bruin-ts/connections";
import { isDataVaultStrategy } from "./datavault.js";
import { engineForDialect, strategyProblem } from "./engines/index.js";
import type { Asset } from "./model.js";
import { stripTrailingSemicolons } from "./names.js";
import type { RunInterval } from "./render.js";
import { isScd2Strategy, isTableStrategy, materializationProblems, TABLE_STRATEGIES } from "./strategies.js";
import { tableExists } from "./table-info.js";
import { yesterdayUtc } from "./validate.js";

export interface MaterializeOptions {
  /**
   * Rebuild tables from scratch, as `--full-refresh` asks: the strategy's
   * table is recreated from the query (SCD2 tables with every row current,
   * Data Vault tables loaded by their rules).
   * A `ddl` asset and an asset with `full_refresh_restricted` keep their table.
   */
  fullRefresh?: boolean;
  /** The run's interval, whose rows the time_interval strategy replaces (default: yesterday, UTC). */
  interval?: RunInterval;
  /** The instant SCD2 versions are stamped with (default: now). */
  now?: Date;
}

/**
 * Runs an asset's rendered query the way its materialization says: as
 * written, as a view, or as a table, with the SQL of the adapter's engine
 * module. Tables are changed atomically where the engine allows it: a
 * failing query leaves the previous table and its rows untouched. An
 * incremental strategy on a table that does not exist yet creates it.
 */
export async function materializeAsset(
  adapter: ConnectionAdapter,
  asset: Asset,
  renderedQuery: string,
  options: MaterializeOptions = {},
): Promise<void> {
  const engine = engineForDialect(adapter.dialect);
  const m = asset.materialization;
  if (!m) {
    await runScript(adapter, renderedQuery);
    return;
  }
  const query = stripTrailingSemicolons(renderedQuery);
  if (m.type === "view") {
    await engine.replaceView(adapter, asset.name, query);
    return;
  }
  const strategy = m.strategy ?? "create+replace";
  if (!isTableStrategy(strategy)) {
    throw new Error(
      `materialization strategy '${strategy}' is not supported; use one of: ${TABLE_STRATEGIES.join(", ")}`,
    );
  }
  // As the reference: a full refresh recreates the table, but never a ddl
  // table nor one whose asset is full_refresh_restricted. SCD2 tables are
  // recreated in their own shape; the other strategies' are a plain rebuild.
  const fullRefresh = options.fullRefresh === true && strategy !== "ddl" && asset.fullRefreshRestricted !== true;
  const keepsShape = isScd2Strategy(strategy) || isDataVaultStrategy(strategy);
  const effective = fullRefresh && !keepsShape ? "create+replace" : strategy;
  const problem = strategyProblem(engine, effective);
  if (problem) throw new Error(problem);
  if (effective !== "create+replace") {
    const [incomplete] = materializationProblems(asset);
    if (incomplete) throw new Error(`asset '${asset.name}': ${incomplete}`);
  }
  if (effective === "ddl") {
    // The query is not run: the table comes from the declared columns.
    await engine.ensureParent(adapter, asset.name);
    for (const statement of engine.createTableStatements(asset)) await adapter.exec(statement);
    return;
  }
  if (effective === "create+replace") {
    await engine.replaceTable(adapter, asset.name, query);
    return;
  }
  if (!engine.incremental) throw new Error(engine.strategyNotSupported(effective));
  if (isDataVaultStrategy(effective)) {
    await engine.ensureParent(adapter, asset.name);
    await adapter.transaction(engine.incremental.dataVaultStatements(asset, effective, query, fullRefresh));
    return;
  }
  const context = { interval: options.interval ?? yesterdayUtc(), now: options.now ?? new Date() };
  if (fullRefresh || !(await tableExists(adapter, asset.name))) {
    await engine.replaceTable(adapter, asset.name, engine.incremental.initialQuery(asset, effective, query, context));
    return;
  }
  await engine.incremental.apply(adapter, asset, effective, query, context);
}

/**
 * An asset without materialization runs as written. Engines whose adapters
 * take a whole script get it in one call (one session, so `SET` and temp
 * tables carry over); others get the statements one by one, in order.
 */
async function runScript(adapter: ConnectionAdapter, script: string): Promise<void> {
  const { capabilities } = engineForDialect(adapter.dialect);
  const statements = splitStatements(script, { backslashEscapes: capabilities.backslashEscapes });
  if (statements.length === 0) return;
  if (capabilities.scripts) {
    await adapter.exec(script);
    return;
  }
  for (const statement of statements) await adapter.exec(statement);
}
