import { dataVaultColumns, isDataVaultStrategy } from "./datavault.js";
import type { Asset, Column } from "./model.js";

/** Table strategies this library runs. */
export const TABLE_STRATEGIES = [
  "create+replace",
  "append",
  "delete+insert",
  "truncate+insert",
  "merge",
  "time_interval",
  "scd2_by_column",
  "scd2_by_time",
  "ddl",
  "datavault_hub",
  "datavault_link",
  "datavault_satellite",
] as const;
export type TableStrategy = (typeof TABLE_STRATEGIES)[number];

/** Every table strategy but `create+replace`: those that build on the table already there. */
export const INCREMENTAL_STRATEGIES = TABLE_STRATEGIES.filter(
  (strategy): strategy is Exclude<TableStrategy, "create+replace"> => strategy !== "create+replace",
);

/** The strategies that keep a history with `_valid_from`, `_valid_until` and `_is_current`. */
export const SCD2_STRATEGIES: readonly TableStrategy[] = ["scd2_by_column", "scd2_by_time"];
/** The columns an SCD2 table adds to the query's; asset columns may not use these names. */
export const SCD2_COLUMNS = ["_valid_from", "_valid_until", "_is_current"] as const;
export const TIME_GRANULARITIES = ["date", "timestamp"] as const;

export function isTableStrategy(value: string): value is TableStrategy {
  return (TABLE_STRATEGIES as readonly string[]).includes(value);
}

export function isScd2Strategy(strategy: string): boolean {
  return (SCD2_STRATEGIES as readonly string[]).includes(strategy);
}

/** Non-key columns a merge writes on matching keys: `update_on_merge: true` or a `merge_sql` expression. */
export function mergeUpdateColumns(asset: Asset): Column[] {
  return asset.columns.filter((c) => !c.primaryKey && (c.updateOnMerge || c.mergeSql !== undefined));
}

export function primaryKeyColumns(asset: Asset): string[] {
  return asset.columns.filter((c) => c.primaryKey).map((c) => c.name);
}

/** A declared type a time-based key may have: a date or a timestamp (with or without a zone). */
function isTimeType(type: string): boolean {
  return /^(date|datetime|timestamp|timestamptz|timestamp_[nlt]tz)\b/i.test(type.trim());
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
  const requires = (what: string) => problems.push(`materialization strategy '${strategy}' requires ${what}`);
  const needsKey = strategy === "delete+insert" || strategy === "time_interval" || strategy === "scd2_by_time";
  if (needsKey && !m.incrementalKey) requires("'incremental_key'");
  if ((strategy === "merge" || isScd2Strategy(strategy)) && primaryKeyColumns(asset).length === 0) {
    requires("at least one column with 'primary_key: true'");
  }
  if (strategy === "time_interval") {
    if (!m.timeGranularity) requires("'time_granularity' (date or timestamp)");
    else if (!(TIME_GRANULARITIES as readonly string[]).includes(m.timeGranularity)) {
      problems.push(`'time_granularity' must be either 'date' or 'timestamp', not '${m.timeGranularity}'`);
    }
    if (asset.code) problems.push("materialization strategy 'time_interval' is supported for SQL assets only");
  }
  if (isScd2Strategy(strategy)) {
    for (const column of asset.columns.filter((c) => (SCD2_COLUMNS as readonly string[]).includes(c.name))) {
      problems.push(`column name '${column.name}' is reserved for SCD2 and cannot be used`);
    }
    const key = asset.columns.find((c) => c.name === m.incrementalKey);
    if (strategy === "scd2_by_time" && key?.type !== undefined && !isTimeType(key.type)) {
      problems.push(
        `incremental_key '${key.name}' must be a TIMESTAMP or DATE column for 'scd2_by_time', not ${key.type}`,
      );
    }
  }
  if (strategy === "ddl") {
    if (asset.columns.length === 0) requires("'columns' with a name and a type each");
    for (const column of asset.columns.filter((c) => !c.type?.trim())) {
      problems.push(`materialization strategy 'ddl' requires a 'type' for column '${column.name}'`);
    }
  }
  if (isDataVaultStrategy(strategy)) {
    const columns = dataVaultColumns(asset, strategy);
    if (Array.isArray(columns)) problems.push(...columns);
  }
  if (m.incrementalPredicate !== undefined && strategy !== "merge") {
    problems.push(`'incremental_predicate' applies to the 'merge' strategy only, not '${strategy}'`);
  }
  return problems;
}
