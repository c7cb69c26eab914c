import type { Asset, Pipeline } from "@bruin-ts/pipeline";
import { assetJson, pipelineJson, type Definitions } from "../parse-json.js";

/**
 * What policy rules look at: an asset and its pipeline as the reference CLI
 * exposes them to `criteria` expressions, its Go structures with their Go
 * field names (`asset.Name`, `asset.Owner`, `asset.Columns[0].PrimaryKey`,
 * `pipeline.StartDate`, `pipeline.Notifications.Slack`, …). They are built
 * from the same documents `bruin internal parse-pipeline` prints, so a field
 * reads the same there and in a rule.
 */

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Subject = { [key: string]: Value };

/** Go's spelling of names its linter keeps in capitals. */
const INITIALISMS: Record<string, string> = { id: "ID", uri: "URI", url: "URL", sql: "SQL", ms: "MS" };
const SPECIAL: Record<string, string> = { bigquery: "BigQuery", upstreams: "Upstreams" };

/** Mappings whose keys are the user's own (meta, parameters, …): kept as written. */
const FREE_FORM = new Set(["meta", "parameters", "default_connections", "metadata", "variables", "default"]);

/** `primary_key` → `PrimaryKey`, `id` → `ID`, `ms_teams` → `MSTeams`. */
export function goFieldName(key: string): string {
  if (SPECIAL[key] !== undefined) return SPECIAL[key];
  return key
    .split("_")
    .map((part) => INITIALISMS[part] ?? part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function goValue(value: unknown, key?: string): Value {
  if (Array.isArray(value)) return value.map((item) => goValue(item));
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return value as Value;
  if (key !== undefined && FREE_FORM.has(key)) return JSON.parse(JSON.stringify(value)) as Value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([field, item]) => [goFieldName(field), goValue(item, field)]),
  );
}

/** The upstreams as the definition lists them: other assets by name, and `uri:` ones of other pipelines. */
function upstreams(raw: Record<string, unknown>): Value[] {
  const depends = Array.isArray(raw.depends) ? (raw.depends as unknown[]) : [];
  return depends.flatMap((item): Value[] => {
    if (typeof item === "string") return [{ Type: "asset", Value: item, Columns: [], Mode: "full" }];
    if (item === null || typeof item !== "object") return [];
    const entry = item as Record<string, unknown>;
    const mode = typeof entry.mode === "string" ? entry.mode : "full";
    if (typeof entry.uri === "string") return [{ Type: "uri", Value: entry.uri, Columns: [], Mode: mode }];
    if (typeof entry.asset === "string") return [{ Type: "asset", Value: entry.asset, Columns: [], Mode: mode }];
    return [];
  });
}

/** The zero value of a materialization, as Go shows an asset that has none. */
const NO_MATERIALIZATION: Subject = {
  Type: "",
  Strategy: "",
  PartitionBy: "",
  ClusterBy: null,
  IncrementalKey: "",
  TimeGranularity: "",
};

export function assetSubject(asset: Asset, definitions: Definitions): Subject {
  const document = assetJson(asset, definitions, { content: false });
  const subject = goValue(document) as Subject;
  subject.Materialization ??= { ...NO_MATERIALIZATION };
  subject.Upstreams = upstreams(definitions.assets.get(asset.path)?.fields ?? {});
  // The query, for rules about it, as `internal parse-asset` shows it in executable_file.content.
  (subject.ExecutableFile as Subject).Content = asset.query.trim();
  return subject;
}

export function pipelineSubject(pipeline: Pipeline, definitions: Definitions): Subject {
  const document = pipelineJson(pipeline, definitions);
  const subject = goValue(document) as Subject;
  subject.Assets = pipeline.assets.map((asset) => assetSubject(asset, definitions));
  return subject;
}
