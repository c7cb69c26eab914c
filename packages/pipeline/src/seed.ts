import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { isRecord, readString, type Report } from "./asset-fields.js";
import { loadRowStream } from "./code-assets/rows.js";
import { displayPath } from "./display-path.js";
import type { ValueKind } from "./engines/engine.js";
import { engineForDialect, platformOfAssetType } from "./engines/index.js";
import type { Asset } from "./model.js";

/** A seed asset's CSV: a local file (absolute path) or an http(s) URL. */
export interface SeedSpec {
  source: string;
}

const SEED_SUFFIX = ".seed";
const URL_PATTERN = /^https?:\/\//i;

/** The platform a `<platform>.seed` asset type loads into (that of `<platform>.sql`), or undefined. */
export function seedPlatform(type: string): string | undefined {
  if (!type.endsWith(SEED_SUFFIX)) return undefined;
  return platformOfAssetType(`${type.slice(0, -SEED_SUFFIX.length)}.sql`);
}

/**
 * `parameters.path` of a seed asset: relative to the asset file, or an
 * http(s) URL; without it, `<asset name>.csv` beside the asset file.
 */
export function readSeed(raw: Record<string, unknown>, assetPath: string, name: string, report: Report): SeedSpec {
  const parameters = raw.parameters;
  if (parameters !== undefined && parameters !== null && !isRecord(parameters))
    report("'parameters' must be a mapping, e.g. {path: data.csv}");
  const given = isRecord(parameters) ? readString(parameters.path, "parameters.path", report)?.trim() : undefined;
  const file = given || `${name}.csv`;
  return { source: URL_PATTERN.test(file) ? file : path.resolve(path.dirname(assetPath), file) };
}

/** How a source is named in messages: a URL without its query and fragment (they may hold tokens). */
function describeSource(source: string): string {
  if (!URL_PATTERN.test(source)) return displayPath(source);
  const url = new URL(source);
  return `${url.origin}${url.pathname}`;
}

/** A seed whose local file is missing, as a validation problem naming the asset's file; undefined otherwise. */
export function seedProblem(asset: Asset): string | undefined {
  if (!asset.seed || URL_PATTERN.test(asset.seed.source) || existsSync(asset.seed.source)) return undefined;
  return `asset '${asset.name}' (${displayPath(asset.path)}): the seed file ${displayPath(asset.seed.source)} does not exist`;
}

async function readSource(source: string, signal?: AbortSignal): Promise<string> {
  if (!URL_PATTERN.test(source)) return readFile(source, "utf8");
  const response = await fetch(source, signal ? { signal } : {});
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

/** A declared column type as a kind of value, when it is one of the usual portable names. */
function declaredKind(type: string | undefined): ValueKind | undefined {
  const t = type?.trim().toLowerCase();
  if (!t) return undefined;
  if (/^(int|integer|bigint|smallint|tinyint|int8|int16|int32|int64|long)$/.test(t)) return "int";
  if (/^(float|float32|float64|double|double precision|real|number|numeric|decimal)$/.test(t)) return "float";
  if (/^(bool|boolean)$/.test(t)) return "bool";
  if (t === "date") return "date";
  if (/^(timestamp|datetime|timestamptz|timestamp with time zone)$/.test(t)) return "timestamp";
  if (/^(string|str|text|varchar|char)$/.test(t)) return "str";
  return undefined;
}

const INT = /^[-+]?(0|[1-9]\d*)$/;
// Digits with a leading zero (codes such as zip codes) stay text.
const FLOAT = /^[-+]?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const BOOL = /^(true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The kind the values of an undeclared column fit, every one of them (empty fields are NULL). */
function inferredKind(values: readonly string[]): ValueKind {
  const present = values.filter((v) => v !== "");
  if (present.length === 0) return "str";
  if (present.every((v) => INT.test(v))) return "int";
  if (present.every((v) => FLOAT.test(v))) return "float";
  if (present.every((v) => BOOL.test(v))) return "bool";
  if (present.every((v) => DATE.test(v))) return "date";
  return "str";
}

function typedValue(value: string, kind: ValueKind): unknown {
  if (value === "") return null;
  switch (kind) {
    case "int": {
      const n = Number(value);
      // Beyond 2^53 the digits travel as text; the column's type reads them.
      return INT.test(value) && Number.isSafeInteger(n) ? n : value;
    }
    case "float":
      return FLOAT.test(value) ? Number(value) : value;
    case "bool":
      return BOOL.test(value) ? value.toLowerCase() === "true" : value;
    default:
      return value;
  }
}

/**
 * Loads the seed's CSV (header row first) into the asset's table, replacing
 * it: columns declared with a type get it (portable names such as `integer`
 * or `string` become the engine's type, others are used as written), the
 * others the type their values fit. Returns the number of rows loaded.
 */
export async function runSeed(
  adapter: ConnectionAdapter,
  asset: Asset,
  options: { signal?: AbortSignal } = {},
): Promise<number> {
  const spec = asset.seed;
  if (!spec) throw new Error(`asset '${asset.name}' is not a seed`);
  const where = `seed '${asset.name}' (${describeSource(spec.source)})`;
  let text: string;
  try {
    text = await readSource(spec.source, options.signal);
  } catch (error) {
    throw new Error(`${where}: cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The CSV parser loads with the first seed: a run without seeds does not load it.
  const { parse } = await import("csv-parse/sync");
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new Error(`${where}: invalid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...rows] = records;
  if (!header || header.length === 0) throw new Error(`${where}: the CSV has no header row`);
  const names = header.map((h) => h.trim());
  const duplicate = names.find((n, i) => n === "" || names.indexOf(n) !== i);
  if (duplicate !== undefined)
    throw new Error(`${where}: the header has ${duplicate === "" ? "an empty" : `a repeated column '${duplicate}'`}`);
  const missing = asset.columns.filter((c) => c.type && !names.includes(c.name)).map((c) => c.name);
  if (missing.length > 0) throw new Error(`${where}: declared columns missing from the CSV: ${missing.join(", ")}`);

  const engine = engineForDialect(adapter.dialect);
  const declared = new Map(asset.columns.filter((c) => c.type).map((c) => [c.name, c.type!]));
  const kinds = names.map(
    (name, i) =>
      declaredKind(declared.get(name)) ?? (declared.has(name) ? "str" : inferredKind(rows.map((r) => r[i]!))),
  );
  const sqlTypes = new Map(
    names.map((name, i) => [name, declaredKind(declared.get(name)) ? engine.valueType(kinds[i]!) : declared.get(name)]),
  );
  const columns = asset.columns.map((c) => {
    const type = sqlTypes.get(c.name);
    return type ? { ...c, type } : c;
  });
  const loading: Asset = { ...asset, columns, materialization: { type: "table", strategy: "create+replace" } };

  async function* lines(): AsyncGenerator<string> {
    yield `#columns ${JSON.stringify(names.map((name, i) => [name, kinds[i]]))}`;
    for (const row of rows) {
      yield JSON.stringify(Object.fromEntries(names.map((name, i) => [name, typedValue(row[i] ?? "", kinds[i]!)])));
    }
    yield `#end ${JSON.stringify({ rows: rows.length })}`;
  }
  const stats = await loadRowStream(lines(), adapter, loading);
  return stats.rows;
}
