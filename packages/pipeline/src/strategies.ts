import type { Asset, Column } from "./model.js";

/** Table strategies this library runs. */
export const TABLE_STRATEGIES = ["create+replace", "append", "delete+insert", "truncate+insert", "merge"] as const;
export type TableStrategy = (typeof TABLE_STRATEGIES)[number];

export function isTableStrategy(value: string): value is TableStrategy {
  return (TABLE_STRATEGIES as readonly string[]).includes(value);
}

/** Non-key columns a merge writes on matching keys: `update_on_merge: true` or a `merge_sql` expression. */
export function mergeUpdateColumns(asset: Asset): Column[] {
  return asset.columns.filter((c) => !c.primaryKey && (c.updateOnMerge || c.mergeSql !== undefined));
}

export function primaryKeyColumns(asset: Asset): string[] {
  return asset.columns.filter((c) => c.primaryKey).map((c) => c.name);
}

/** Problems with an asset's materialization, without the asset's name (the caller adds it). */
export function materializationProblems(asset: Asset): string[] {
  const m = asset.materialization;
  if (!m || m.type !== "table") return [];
  const strategy = m.strategy ?? "create+replace";
  if (!isTableStrategy(strategy)) {
    return [`materialization strategy '${strategy}' is not supported; use one of: ${TABLE_STRATEGIES.join(", ")}`];
  }
  const problems: string[] = [];
  if (strategy === "delete+insert" && !m.incrementalKey) {
    problems.push("materialization strategy 'delete+insert' requires 'incremental_key'");
  }
  if (strategy === "merge" && primaryKeyColumns(asset).length === 0) {
    problems.push("materialization strategy 'merge' requires at least one column with 'primary_key: true'");
  }
  return problems;
}
