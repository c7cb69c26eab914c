import type { ConnectionAdapter } from "@bruin-ts/connections";
import { copyMacros } from "./macros.js";
import type { Asset, Pipeline } from "./model.js";
import { splitName } from "./names.js";
import { tableExists } from "./table-info.js";

/** Original asset name → its prefixed name, for the assets of a prefixed pipeline. */
const renamesByAsset = new WeakMap<Asset, ReadonlyMap<string, string>>();
/** The prefix each prefixed asset was given. */
const prefixByAsset = new WeakMap<Asset, string>();

const PREFIX = /^[A-Za-z0-9_]+$/;

/** `mart.orders` → `dev_mart.orders`; a name without a schema stays as it is. */
export function prefixedName(name: string, prefix: string): string {
  const { parent, table } = splitName(name);
  if (parent === undefined) return name;
  const parts = parent.split(".");
  parts[parts.length - 1] = `${prefix}${parts[parts.length - 1]}`;
  return `${parts.join(".")}.${table}`;
}

/**
 * The pipeline with `schema_prefix` applied: every asset named
 * `schema.table` becomes `<prefix>schema.table` (its table is built there,
 * `{{ this }}` and its checks use that name), dependencies follow, and its
 * rendered queries, checks and hooks read the prefixed tables of the other
 * assets of the pipeline. An empty prefix changes nothing.
 */
export function applySchemaPrefix(pipeline: Pipeline, prefix: string | undefined): Pipeline {
  if (!prefix) return pipeline;
  if (!PREFIX.test(prefix)) throw new Error(`schema_prefix '${prefix}' may hold only letters, digits and '_'`);
  const renames = new Map<string, string>();
  for (const asset of pipeline.assets) {
    const renamed = prefixedName(asset.name, prefix);
    if (renamed !== asset.name) renames.set(asset.name, renamed);
  }
  const rename = (name: string) => renames.get(name) ?? name;
  const assets = pipeline.assets.map((asset) => {
    const copy: Asset = {
      ...asset,
      name: rename(asset.name),
      depends: asset.depends.map(rename),
      ...(asset.symbolicDepends ? { symbolicDepends: asset.symbolicDepends.map(rename) } : {}),
      columns: asset.columns.map((c) =>
        c.foreignKey ? { ...c, foreignKey: { ...c.foreignKey, table: rename(c.foreignKey.table) } } : c,
      ),
    };
    renamesByAsset.set(copy, renames);
    prefixByAsset.set(copy, prefix);
    copyMacros(asset, copy);
    return copy;
  });
  return { ...pipeline, assets, schemaPrefix: prefix };
}

const QUALIFIED = /(?<![\w."`$])([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*){1,2})(?![\w"`$(])/g;

/** The rendered SQL with each reference to another asset of a prefixed pipeline written with its prefixed name. */
export function rewriteAssetReferences(asset: Asset, sql: string): string {
  const renames = renamesByAsset.get(asset);
  if (!renames || renames.size === 0) return sql;
  return sql.replace(QUALIFIED, (match: string) => renames.get(match) ?? match);
}

/**
 * References to tables outside the pipeline (`raw.events`) are read from
 * their prefixed copy (`dev_raw.events`) when one exists on the connection,
 * as the reference CLI does; otherwise they stay as they are.
 */
export async function rewriteExternalReferences(
  adapter: ConnectionAdapter,
  asset: Asset,
  sql: string,
): Promise<string> {
  const prefix = prefixByAsset.get(asset);
  if (!prefix) return sql;
  const renames = renamesByAsset.get(asset) ?? new Map<string, string>();
  const prefixed = new Set(renames.values());
  const candidates = new Set<string>();
  for (const match of sql.matchAll(QUALIFIED)) {
    const name = match[1]!;
    if (!prefixed.has(name) && !renames.has(name) && !splitName(name).parent!.startsWith(prefix)) candidates.add(name);
  }
  const found = new Map<string, string>();
  for (const name of candidates) {
    const target = prefixedName(name, prefix);
    if (await tableExists(adapter, target)) found.set(name, target);
  }
  if (found.size === 0) return sql;
  return sql.replace(QUALIFIED, (match: string) => found.get(match) ?? match);
}
