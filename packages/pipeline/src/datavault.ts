import type { Asset, Column } from "./model.js";

export const DATAVAULT_STRATEGIES = ["datavault_hub", "datavault_link", "datavault_satellite"] as const;
export type DataVaultStrategy = (typeof DATAVAULT_STRATEGIES)[number];

export function isDataVaultStrategy(strategy: string): strategy is DataVaultStrategy {
  return (DATAVAULT_STRATEGIES as readonly string[]).includes(strategy);
}

/** The columns of a Data Vault table by role, as `meta.datavault_role` or the naming fallbacks give them. */
export interface DataVaultColumns {
  /** The hub's or link's hash key, or the satellite's parent hash key. */
  hashKey: Column;
  /** Hub: the business keys; link: the related hash keys; satellite: none. */
  keys: Column[];
  /** Satellite only. */
  hashDiff?: Column;
  loadDatetime: Column;
  recordSource: Column;
  /** The columns that must not be NULL: rows with a NULL in one are skipped. */
  mandatory: Column[];
  /** The target table's primary key. */
  primaryKey: string[];
}

const roleOf = (c: Column) => c.datavaultRole?.trim().toLowerCase() ?? "";
const named = (c: Column, ...names: string[]) => names.includes(c.name.toLowerCase());
const endsWith = (c: Column, suffix: string) => c.name.toLowerCase().endsWith(suffix);

function byRole(columns: readonly Column[], roles: readonly string[], fallback?: (c: Column) => boolean) {
  return columns.find((c) => roles.includes(roleOf(c))) ?? (fallback ? columns.find(fallback) : undefined);
}

/** Every column with one of the roles, then (in addition) every one the fallback accepts. */
function allByRole(columns: readonly Column[], roles: readonly string[], fallback: (c: Column) => boolean): Column[] {
  const found = columns.filter((c) => roles.includes(roleOf(c)));
  return [...found, ...columns.filter((c) => !found.includes(c) && fallback(c))];
}

/**
 * The hash key: by role, else the one primary key column, else the only
 * column ending in `_hk`. Several primary key columns name no hash key.
 */
function hashKeyOf(
  asset: Asset,
  strategy: DataVaultStrategy,
  roles: readonly string[],
  preferred: string,
): Column | string | undefined {
  const explicit = byRole(asset.columns, roles);
  if (explicit) return explicit;
  const keys = asset.columns.filter((c) => c.primaryKey);
  if (keys.length > 1) {
    return (
      `materialization strategy '${strategy}' cannot tell which of the primary key columns ` +
      `(${keys.map((c) => c.name).join(", ")}) is the hash key; mark it with 'datavault_role: ${preferred}'`
    );
  }
  if (keys.length === 1) return keys[0];
  const suffixed = asset.columns.filter((c) => endsWith(c, "_hk"));
  return suffixed.length === 1 ? suffixed[0] : undefined;
}

/** The asset's Data Vault columns, or the problems that leave a role unfilled (without the asset's name). */
export function dataVaultColumns(asset: Asset, strategy: DataVaultStrategy): DataVaultColumns | string[] {
  if (asset.columns.length === 0) return [`materialization strategy '${strategy}' requires 'columns'`];
  const problems = asset.columns
    .filter((c) => !c.type?.trim())
    .map((c) => `materialization strategy '${strategy}' requires a 'type' for column '${c.name}'`);
  const requires = (what: string) => problems.push(`materialization strategy '${strategy}' requires ${what}`);
  const loadDatetime = byRole(asset.columns, ["load_datetime", "load_dts"], (c) =>
    named(c, "load_dts", "load_datetime", "loaded_at"),
  );
  const recordSource = byRole(asset.columns, ["record_source"], (c) => named(c, "record_source"));
  let hashKey: Column | string | undefined;
  let keys: Column[] = [];
  let hashDiff: Column | undefined;
  if (strategy === "datavault_hub") {
    hashKey = hashKeyOf(asset, strategy, ["hash_key", "hub_hash_key"], "hash_key");
    keys = allByRole(asset.columns, ["business_key"], (c) => endsWith(c, "_bk"));
  } else if (strategy === "datavault_link") {
    hashKey = hashKeyOf(asset, strategy, ["link_hash_key", "hash_key"], "link_hash_key");
    const link = typeof hashKey === "object" ? hashKey : undefined;
    keys = allByRole(asset.columns, ["hub_hash_key", "parent_hash_key", "foreign_hash_key"], (c) =>
      endsWith(c, "_hk"),
    ).filter((c) => c !== link);
  } else {
    hashKey = hashKeyOf(asset, strategy, ["parent_hash_key", "hub_hash_key", "hash_key"], "parent_hash_key");
    hashDiff = byRole(asset.columns, ["hashdiff", "hash_diff"], (c) => named(c, "hashdiff", "hash_diff"));
  }
  const what = {
    datavault_hub: "hub hash key",
    datavault_link: "link hash key",
    datavault_satellite: "parent hash key",
  };
  const role = {
    datavault_hub: "hash_key",
    datavault_link: "link_hash_key",
    datavault_satellite: "parent_hash_key",
  };
  if (typeof hashKey === "string") problems.push(hashKey);
  else if (!hashKey)
    requires(`a ${what[strategy]} column ('datavault_role: ${role[strategy]}' or 'primary_key: true')`);
  if (strategy === "datavault_hub" && keys.length === 0) {
    requires("at least one business key column ('datavault_role: business_key')");
  }
  if (strategy === "datavault_link" && keys.length === 0) {
    requires("at least one related hash key column ('datavault_role: hub_hash_key')");
  }
  if (strategy === "datavault_satellite" && !hashDiff) requires("a hashdiff column ('datavault_role: hashdiff')");
  if (!loadDatetime) requires("a load datetime column ('datavault_role: load_datetime')");
  if (!recordSource) requires("a record source column ('datavault_role: record_source')");
  if (problems.length > 0 || typeof hashKey !== "object" || !loadDatetime || !recordSource) return problems;
  const mandatory = [...new Set([hashKey, ...keys, ...(hashDiff ? [hashDiff] : []), loadDatetime, recordSource])];
  let primaryKey = [hashKey.name];
  if (strategy === "datavault_satellite") {
    // The parent hash key and the load datetime, unless other primary key columns are marked.
    const marked = asset.columns.filter((c) => c.primaryKey).map((c) => c.name);
    const onlyParent = marked.length === 1 && marked[0]!.toLowerCase() === hashKey.name.toLowerCase();
    primaryKey = marked.length === 0 || onlyParent ? [hashKey.name, loadDatetime.name] : marked;
  }
  return { hashKey, keys, ...(hashDiff ? { hashDiff } : {}), loadDatetime, recordSource, mandatory, primaryKey };
}
