import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { repositoryRoot } from "./repository.js";
import type { Asset, Column, ColumnCheck, CustomCheck, Pipeline } from "@bruin-ts/pipeline";

/**
 * The JSON `bruin internal parse-pipeline` and `parse-asset` print, in the
 * reference CLI's shape, field for field and in its order: editors and other
 * tools read these documents. Values come from the loaded pipeline (its
 * defaults applied, as `run` sees it) and, for the fields the runner itself
 * does not use (description, owner, meta, …), from the definitions as written.
 * Fields this CLI has no notion of keep the reference's empty value.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What the command read besides the loaded model: the definitions as written. */
export interface Definitions {
  pipeline: Record<string, unknown>;
  assets: Map<string, { kind: "comment" | "yaml"; fields: Record<string, unknown> }>;
}

/** The reference's ids: the SHA-256 of the name (an asset) or of `asset-column-check` (a column check). */
function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A value read from YAML as JSON; anything JSON cannot hold (there is none under the core schema) becomes null. */
function json(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

function record(value: unknown): JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (json(value) as JsonObject) : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (json(value) as Json[]) : [];
}

function orNull(value: unknown): Json {
  return value === undefined ? null : json(value);
}

function checkJson(asset: Asset, column: Column, check: ColumnCheck, raw: Record<string, unknown>): JsonObject {
  return {
    id: sha256(`${asset.name}-${column.name}-${check.name}`),
    name: check.name,
    value: orNull(check.value),
    blocking: check.blocking,
    description: text(raw.description),
    retries: orNull(raw.retries),
  };
}

function columnJson(asset: Asset, column: Column, raw: Record<string, unknown>): JsonObject {
  const rawChecks = Array.isArray(raw.checks) ? raw.checks : [];
  const rawCheck = (name: string): Record<string, unknown> =>
    record(rawChecks.find((c) => (typeof c === "string" ? c : record(c).name) === name));
  return {
    entity_attribute: orNull(raw.entity_attribute),
    name: column.name,
    source_column: text(raw.source_column),
    type: column.type ?? "",
    description: column.description ?? "",
    tags: list(raw.tags),
    primary_key: column.primaryKey,
    update_on_merge: column.updateOnMerge,
    default: text(raw.default),
    precision: orNull(raw.precision),
    scale: orNull(raw.scale),
    length: orNull(raw.length),
    collation: text(raw.collation),
    foreign_key: orNull(raw.foreign_key),
    merge_sql: column.mergeSql ?? "",
    nullable: typeof raw.nullable === "boolean" ? raw.nullable : true,
    owner: text(raw.owner),
    domains: list(raw.domains),
    meta: record(raw.meta),
    checks: column.checks.map((check) => checkJson(asset, column, check, rawCheck(check.name))),
    upstreams: [],
  };
}

/**
 * A column column lineage adds to an asset when no upstream asset column
 * describes it: its name, the type the query gives it (if any) and where it
 * comes from; every other field empty.
 */
export function lineageColumnJson(
  name: string,
  type: string,
  upstreams: { column: string; table: string }[],
): JsonObject {
  return {
    entity_attribute: null,
    name,
    source_column: "",
    type,
    description: "",
    tags: [],
    primary_key: false,
    update_on_merge: false,
    default: "",
    precision: null,
    scale: null,
    length: null,
    collation: "",
    foreign_key: null,
    merge_sql: "",
    nullable: true,
    owner: "",
    domains: [],
    meta: {},
    checks: [],
    upstreams,
  };
}

function customCheckJson(asset: Asset, check: CustomCheck): JsonObject {
  return {
    id: sha256(`${asset.name}-${check.name}`),
    name: check.name,
    description: check.description ?? "",
    query: check.query,
    value: check.value,
    blocking: check.blocking,
  };
}

function materializationJson(asset: Asset, raw: Record<string, unknown>): Json {
  if (!asset.materialization) return null;
  return {
    type: asset.materialization.type,
    strategy: text(raw.strategy),
    partition_by: text(raw.partition_by),
    cluster_by: Array.isArray(raw.cluster_by) ? list(raw.cluster_by) : null,
    incremental_key: asset.materialization.incrementalKey ?? "",
    time_granularity: text(raw.time_granularity),
  };
}

/**
 * One asset. `content`: the query or script after the header (the whole file
 * for an `.asset.yml`); parse-pipeline leaves it empty, as the reference does.
 */
export function assetJson(
  asset: Asset,
  definitions: Definitions,
  options: { content: boolean; fileText?: string },
): JsonObject {
  const definition = definitions.assets.get(asset.path) ?? { kind: "comment" as const, fields: {} };
  const raw = definition.fields;
  const defaults = record(definitions.pipeline.default);
  const rawColumns = Array.isArray(raw.columns) ? raw.columns : [];
  const rawColumn = (name: string) => record(rawColumns.find((c) => record(c).name === name));
  const secrets =
    asset.code?.secrets.map((s) => ({ secret_key: s.key, injected_key: s.injectAs })) ??
    list(raw.secrets).map((s) => {
      const item = record(s);
      return { secret_key: text(item.key), injected_key: text(item.inject_as ?? item.key) };
    });
  const content =
    options.content && options.fileText !== undefined
      ? definition.kind === "yaml"
        ? options.fileText
        : asset.query.trim()
      : "";
  const file = { name: path.basename(asset.path), path: asset.path };
  return {
    id: sha256(asset.name),
    uri: text(raw.uri),
    name: asset.name,
    type: asset.type,
    description: text(raw.description),
    start_date: text(raw.start_date),
    // As the reference shows it: the connection the definition (or the pipeline's `default:`) names, else empty.
    connection: text(raw.connection ?? defaults.connection),
    tags: [...asset.tags],
    domains: list(raw.domains),
    meta: record(raw.meta),
    materialization: materializationJson(asset, record(raw.materialization ?? defaults.materialization)),
    upstreams: asset.depends.map((name) => ({ type: "asset", value: name, columns: [], mode: "full" })),
    image: asset.code?.image ?? text(raw.image),
    instance: text(raw.instance),
    owner: text(raw.owner),
    executable_file: { ...file, content },
    definition_file: { ...file, type: definition.kind },
    parameters: { ...record(defaults.parameters), ...record(raw.parameters) },
    secrets,
    extends: Array.isArray(raw.extends) ? list(raw.extends) : null,
    columns: asset.columns.map((column) => columnJson(asset, column, rawColumn(column.name))),
    custom_checks: asset.customChecks.map((check) => customCheckJson(asset, check)),
    hooks: record(raw.hooks),
    metadata: record(raw.metadata),
    snowflake: orNull(raw.snowflake),
    athena: orNull(raw.athena),
    interval_modifiers: orNull(raw.interval_modifiers ?? defaults.interval_modifiers),
    retries: orNull(raw.retries),
  };
}

/** The whole pipeline, as `internal parse-pipeline` prints it (asset contents left out, as the reference does). */
export function pipelineJson(pipeline: Pipeline, definitions: Definitions): JsonObject {
  const raw = definitions.pipeline;
  const notifications = record(raw.notifications);
  const document: JsonObject = {
    legacy_id: text(raw.id),
    name: pipeline.name,
    tags: [...pipeline.tags],
    domains: list(raw.domains),
    meta: record(raw.meta),
    owner: text(raw.owner),
    schedule: pipeline.schedule ?? "",
    start_date: pipeline.startDate ?? "",
    definition_file: { name: path.basename(pipeline.file), path: pipeline.file },
    default_connections: record(raw.default_connections),
    assets: pipeline.assets.map((asset) => assetJson(asset, definitions, { content: false })),
    notifications: {
      slack: list(notifications.slack),
      ms_teams: list(notifications.ms_teams),
      discord: list(notifications.discord),
      webhook: list(notifications.webhook),
      email: list(notifications.email),
    },
    catchup: orNull(raw.catchup ?? ""),
    metadata_push: { bigquery: record(raw.metadata_push).bigquery === true },
    retries: orNull(raw.retries),
    concurrency: typeof raw.concurrency === "number" ? raw.concurrency : 1,
  };
  if (raw.default !== undefined && raw.default !== null) document.default = record(raw.default);
  return {
    ...document,
    max_active_steps: orNull(raw.max_active_steps),
    commit: "",
    snapshot: "",
    agent: raw.agent === true,
    variables: Object.keys(pipeline.variableSchemas ?? {}).length > 0 ? json(pipeline.variableSchemas) : null,
    selected_variant: "",
    macros: [],
  };
}

/** One asset with the pipeline it belongs to, as `internal parse-asset` prints it. */
export function parseAssetJson(
  asset: Asset,
  pipeline: Pipeline,
  definitions: Definitions,
  fileText: string,
): JsonObject {
  // The reference's `repo.path`: the repository holding the asset's file, null outside one.
  const root = repositoryRoot(path.dirname(asset.path)) ?? null;
  return {
    asset: assetJson(asset, definitions, { content: true, fileText }),
    pipeline: { name: pipeline.name, schedule: pipeline.schedule ?? "" },
    repo: root === null ? null : { path: root },
  };
}
