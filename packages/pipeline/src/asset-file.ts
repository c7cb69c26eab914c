import yaml from "js-yaml";
import {
  isRecord,
  readColumns,
  readCustomChecks,
  readDepends,
  readSymbolicDepends,
  readFullRefreshRestricted,
  readMaterialization,
  readStartDate,
  readString,
  readStringList,
} from "./asset-fields.js";
import { readSecrets, readTimeout, mergeSecrets } from "./code-assets/fields.js";
import { mergeHooks, readHooks, type DeclaredHooks } from "./hooks.js";
import { readIntervalModifiers, type IntervalModifiers } from "./interval-modifiers.js";
import { readYamlAsset, yamlAssetKind } from "./yaml-assets.js";
import { PYTHON_MARKERS, R_MARKERS, SQL_MARKERS, splitAssetHeader, type AssetHeader } from "./header.js";
import type { Asset, Materialization, SecretRef } from "./model.js";
import { builtInDefaultConnection, platformOfAssetType } from "./platforms.js";

/** The `default:` block of pipeline.yml, applied to every asset that does not say otherwise. */
export interface AssetDefaults {
  type?: string;
  connection?: string;
  tags: string[];
  materialization?: Materialization;
  /** `default: secrets:`, injected into every code asset. */
  secrets?: SecretRef[];
  /** `default: timeout:`, in milliseconds. */
  timeoutMs?: number;
  /** `default: hooks:`, run around every SQL asset that does not declare that side itself. */
  hooks?: DeclaredHooks;
  /** `default: interval_modifiers:`, for every asset without its own. */
  intervalModifiers?: IntervalModifiers;
}

export interface AssetFileContext {
  /** Absolute path. */
  path: string;
  /** How the path is shown in messages. */
  displayPath: string;
  /** The name used when the header has none (from the path under assets/). */
  derivedName: string;
  defaults: AssetDefaults;
  defaultConnections: Record<string, string>;
}

export type AssetFileResult = { kind: "not-asset" } | { kind: "asset"; asset?: Asset; issues: string[] };

/** What kind of file an asset is defined in. */
export type AssetFileKind = "sql" | "python" | "r" | "yaml";

/** The asset type a code file runs as. */
const CODE_TYPES: Partial<Record<AssetFileKind, "python" | "r">> = { python: "python", r: "r" };

/**
 * Parses one asset file. A SQL, Python or R file without a `@bruin` header
 * is not an asset; an `.asset.yml` file is one YAML definition. SQL assets of
 * known types and Python (`type: python`) and R (`type: r`) assets run here:
 * anything else (ingestr, unknown SQL types) still loads, marked
 * `unsupported`, and its header problems are folded into that marker instead
 * of stopping the whole pipeline from loading.
 */
export function parseAssetFile(text: string, ctx: AssetFileContext, kind: AssetFileKind = "sql"): AssetFileResult {
  let header: AssetHeader;
  if (kind === "yaml") {
    header = { yaml: text.startsWith("\uFEFF") ? text.slice(1) : text, headerLine: 1, query: "", queryLine: 1 };
  } else {
    const split = splitAssetHeader(text, kind === "python" ? PYTHON_MARKERS : kind === "r" ? R_MARKERS : SQL_MARKERS);
    if (split.kind === "none") return { kind: "not-asset" };
    if (split.kind === "error") {
      const message = `${ctx.displayPath}:${split.line}: ${split.message}`;
      return kind === "sql" ? { kind: "asset", issues: [message] } : unsupportedAsset(ctx, kind, message);
    }
    header = split.header;
  }

  let raw: unknown;
  try {
    // The core schema, as YAML 1.2 reads it: no timestamps, `yes` stays a string.
    raw = yaml.load(header.yaml, { schema: yaml.CORE_SCHEMA }) ?? {};
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    const line = header.headerLine + (error.mark?.line ?? 0);
    const message = `${ctx.displayPath}:${line}: invalid YAML in the asset ${kind === "yaml" ? "definition" : "header"}: ${error.reason}`;
    return kind === "sql" ? { kind: "asset", issues: [message] } : unsupportedAsset(ctx, kind, message);
  }
  if (!isRecord(raw)) {
    const message = `${ctx.displayPath}:${header.headerLine}: the asset ${kind === "yaml" ? "definition" : "header"} must be a YAML mapping`;
    return kind === "sql" ? { kind: "asset", issues: [message] } : unsupportedAsset(ctx, kind, message);
  }
  return assetFromHeader(raw, header, ctx, kind);
}

function assetFromHeader(
  raw: Record<string, unknown>,
  header: AssetHeader,
  ctx: AssetFileContext,
  kind: AssetFileKind,
): AssetFileResult {
  const issues: string[] = [];
  let name = ctx.derivedName;
  const report = (message: string) => issues.push(`asset '${name}' (${ctx.displayPath}): ${message}`);
  const explicitName = readString(raw.name, "name", report)?.trim();
  if (explicitName) name = explicitName;

  const language = CODE_TYPES[kind];
  const type = readString(raw.type, "type", report) ?? language ?? (kind === "sql" ? ctx.defaults.type : undefined);
  const special = kind === "yaml" && type ? yamlAssetKind(type) : undefined;
  const platform = type && kind === "sql" ? (platformOfAssetType(type) ?? "") : (special?.platform ?? "");
  let unsupported: string | undefined;
  if (!type) {
    if (kind === "sql") report("'type' is required, e.g. 'type: duckdb.sql'");
    else unsupported = `asset '${name}' (${ctx.displayPath}): 'type' is required`;
  } else if (kind !== "sql" && !special && !(language && type === language)) {
    unsupported = `asset '${name}' (${ctx.displayPath}): asset type '${type}' is not supported; only SQL, Python and R assets run here`;
  } else if (!platform && !language) {
    unsupported = `asset '${name}' (${ctx.displayPath}): no connection mapping found for asset type '${type}'`;
  }
  const materialization =
    raw.materialization === undefined
      ? kind === "sql"
        ? ctx.defaults.materialization
        : undefined
      : readMaterialization(raw.materialization, report);
  const connection = unsupported
    ? ""
    : language
      ? // A code asset uses a connection only to materialize into it.
        (readString(raw.connection, "connection", report) ??
        (materialization ? ctx.defaults.connection : undefined) ??
        "")
      : (readString(raw.connection, "connection", report) ??
        ctx.defaults.connection ??
        (platform ? (ctx.defaultConnections[platform] ?? builtInDefaultConnection(platform)) : ""));
  const tags = [...new Set([...readStringList(raw.tags, "tags", report), ...ctx.defaults.tags])];

  const asset: Asset = {
    name,
    type: type ?? "",
    platform,
    connection,
    depends: readDepends(raw.depends, report),
    ...symbolicDepends(raw.depends),
    ...readEnabled(raw.enabled, report),
    ...(materialization ? { materialization } : {}),
    columns: readColumns(raw.columns, report),
    customChecks: readCustomChecks(raw.custom_checks, report),
    tags,
    query: header.query,
    path: ctx.path,
    headerLine: header.headerLine,
    queryLine: header.queryLine,
    ...(unsupported ? { unsupported } : {}),
  };
  const startDate = readStartDate(raw.start_date, "asset", report);
  if (startDate !== undefined) asset.startDate = startDate;
  const fullRefreshRestricted = readFullRefreshRestricted(raw, report);
  if (fullRefreshRestricted !== undefined) asset.fullRefreshRestricted = fullRefreshRestricted;
  const timeoutMs = unsupported ? undefined : (readTimeout(raw.timeout, "timeout", report) ?? ctx.defaults.timeoutMs);
  if (timeoutMs !== undefined) asset.timeoutMs = timeoutMs;
  const intervalModifiers =
    readIntervalModifiers(raw.interval_modifiers, "interval_modifiers", report) ?? ctx.defaults.intervalModifiers;
  if (intervalModifiers) asset.intervalModifiers = intervalModifiers;
  if (language && !unsupported) {
    const image = readString(raw.image, "image", report)?.trim();
    asset.code = {
      language,
      ...(image ? { image } : {}),
      secrets: mergeSecrets(readSecrets(raw.secrets, "secrets", report), ctx.defaults.secrets ?? []),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
  }
  if (kind === "sql" && !unsupported) {
    const hooks = mergeHooks(readHooks(raw.hooks, "hooks", report), ctx.defaults.hooks);
    if (hooks) asset.hooks = hooks;
  }
  if (unsupported) {
    // Problems in an asset that cannot run anyway must not stop the others.
    if (issues.length > 0)
      asset.unsupported = `${unsupported} (also: ${issues.map((i) => i.slice(i.indexOf("): ") + 3)).join("; ")})`;
    return { kind: "asset", asset, issues: [] };
  }
  if (special) readYamlAsset(special.kind, raw, asset, report);
  // A ddl table is made from its columns: it has no query.
  else if (asset.query.trim() === "" && !asset.code && asset.materialization?.strategy !== "ddl")
    report("the query after the header is empty");
  return { kind: "asset", asset, issues };
}

/** `enabled:`: true or false, or a template rendered when the asset runs. */
function readEnabled(value: unknown, report: (message: string) => void): Pick<Asset, "enabled"> {
  if (value === undefined || value === null) return {};
  if (typeof value === "boolean" || typeof value === "string") return { enabled: value };
  report("'enabled' must be true, false or a template such as \"{{ var.include_x }}\"");
  return {};
}

function symbolicDepends(value: unknown): Pick<Asset, "symbolicDepends"> {
  const names = readSymbolicDepends(value);
  return names.length > 0 ? { symbolicDepends: names } : {};
}

/** An asset whose definition could not even be read: known only by its derived name. */
function unsupportedAsset(ctx: AssetFileContext, kind: AssetFileKind, reason: string): AssetFileResult {
  const asset: Asset = {
    name: ctx.derivedName,
    type: CODE_TYPES[kind] ?? "",
    platform: "",
    connection: "",
    depends: [],
    columns: [],
    customChecks: [],
    tags: [],
    query: "",
    path: ctx.path,
    headerLine: 1,
    queryLine: 1,
    unsupported: `asset '${ctx.derivedName}' (${ctx.displayPath}): cannot be read: ${reason}`,
  };
  return { kind: "asset", asset, issues: [] };
}
