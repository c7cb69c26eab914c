import { splitStatements, type ConnectionAdapter } from "@bruin-ts/connections";
import { engineForDialect, strategyProblem } from "./engines/index.js";
import type { Asset } from "./model.js";
import { stripTrailingSemicolons } from "./names.js";
import { isTableStrategy, TABLE_STRATEGIES } from "./strategies.js";
import { tableExists } from "./table-info.js";

export interface MaterializeOptions {
  /** Rebuild incremental tables from scratch (create+replace), as `--full-refresh` asks. */
  fullRefresh?: boolean;
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
  // A full refresh is a plain rebuild.
  const effective = options.fullRefresh ? "create+replace" : strategy;
  const problem = strategyProblem(engine, effective);
  if (problem) throw new Error(problem);
  if (effective === "create+replace" || !(await tableExists(adapter, asset.name))) {
    await engine.replaceTable(adapter, asset.name, query);
    return;
  }
  if (!engine.incremental) throw new Error(engine.strategyNotSupported(effective));
  await engine.incremental.apply(adapter, asset, effective, query);
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
