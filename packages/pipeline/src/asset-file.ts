import { LineCounter, parseDocument } from "yaml";
import {
  isRecord,
  readColumns,
  readCustomChecks,
  readDepends,
  readMaterialization,
  readString,
  readStringList,
} from "./asset-fields.js";
import { splitAssetHeader } from "./header.js";
import type { Asset, Materialization } from "./model.js";
import { builtInDefaultConnection, platformOfAssetType } from "./platforms.js";

/** The `default:` block of pipeline.yml, applied to every asset that does not say otherwise. */
export interface AssetDefaults {
  type?: string;
  connection?: string;
  tags: string[];
  materialization?: Materialization;
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

/** Parses one SQL file; a file without a `/* @bruin` header is not an asset. */
export function parseAssetFile(text: string, ctx: AssetFileContext): AssetFileResult {
  const split = splitAssetHeader(text);
  if (split.kind === "none") return { kind: "not-asset" };
  if (split.kind === "error") return { kind: "asset", issues: [`${ctx.displayPath}:${split.line}: ${split.message}`] };
  const { header } = split;

  const lines = new LineCounter();
  const doc = parseDocument(header.yaml, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const line = header.headerLine + lines.linePos(e.pos[0]).line - 1;
      return `${ctx.displayPath}:${line}: invalid YAML in the asset header: ${e.message.split("\n")[0]}`;
    });
    return { kind: "asset", issues };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (!isRecord(raw)) {
    return { kind: "asset", issues: [`${ctx.displayPath}:${header.headerLine}: the asset header must be a YAML mapping`] };
  }

  const issues: string[] = [];
  let name = ctx.derivedName;
  const report = (message: string) => issues.push(`asset '${name}' (${ctx.displayPath}): ${message}`);
  const explicitName = readString(raw.name, "name", report)?.trim();
  if (explicitName) name = explicitName;

  const type = readString(raw.type, "type", report) ?? ctx.defaults.type;
  let platform = "";
  if (!type) report("'type' is required, e.g. 'type: duckdb.sql'");
  else {
    platform = platformOfAssetType(type) ?? "";
    if (!platform) report(`no connection mapping found for asset type '${type}'`);
  }
  const connection =
    readString(raw.connection, "connection", report) ??
    ctx.defaults.connection ??
    (platform ? ctx.defaultConnections[platform] ?? builtInDefaultConnection(platform) : "");

  const materialization =
    raw.materialization === undefined ? ctx.defaults.materialization : readMaterialization(raw.materialization, report);
  const tags = [...new Set([...readStringList(raw.tags, "tags", report), ...ctx.defaults.tags])];

  const asset: Asset = {
    name,
    type: type ?? "",
    platform,
    connection,
    depends: readDepends(raw.depends, report),
    ...(materialization ? { materialization } : {}),
    columns: readColumns(raw.columns, report),
    customChecks: readCustomChecks(raw.custom_checks, report),
    tags,
    query: header.query,
    path: ctx.path,
    headerLine: header.headerLine,
    queryLine: header.queryLine,
  };
  if (asset.query.trim() === "") report("the query after the header is empty");
  return { kind: "asset", asset, issues };
}
