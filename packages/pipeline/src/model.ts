import type { IntervalModifiers } from "./interval-modifiers.js";
import type { Hooks } from "./hooks.js";
import type { SeedSpec } from "./seed.js";
import type { SensorSpec } from "./sensor.js";
import type { Variants } from "./variants.js";

/** A parsed `pipeline.yml` with its assets. */
export interface Pipeline {
  name: string;
  /** Absolute folder holding pipeline.yml. */
  dir: string;
  /** Absolute path of pipeline.yml / pipeline.yaml. */
  file: string;
  schedule?: string;
  startDate?: string;
  /** Platform (connection type, e.g. "duckdb") → connection name. */
  defaultConnections: Record<string, string>;
  /** Variable name → default value. */
  variables: Record<string, unknown>;
  /** Variable name → its declaration in pipeline.yml, a JSON schema (`type`, `enum`, `items`, …). */
  variableSchemas?: Record<string, Record<string, unknown>>;
  tags: string[];
  assets: Asset[];
  /** `variants:`: variant name → the variables it overrides. */
  variants?: Variants;
  /** The variant applied (`--variant`), if any. */
  variant?: string;
  /** `schema_prefix:` of pipeline.yml; once applied (see applySchemaPrefix), the prefix in use. */
  schemaPrefix?: string;
}

export interface Materialization {
  /** "view" or "table". */
  type: string;
  /** Table strategy; `create+replace` when not given. */
  strategy?: string;
  incrementalKey?: string;
  /** `time_granularity` of the time_interval strategy: `date` or `timestamp`. */
  timeGranularity?: string;
  /** `partition_by`: the engines here have no table partitioning; parsed, and ignored as the reference does. */
  partitionBy?: string;
  /** `cluster_by`: likewise parsed and ignored on these engines. */
  clusterBy?: string[];
  /**
   * `incremental_predicate`: an SQL condition over the `target` and `source`
   * aliases, added to the key match of the merge strategy.
   */
  incrementalPredicate?: string;
}

export interface ColumnCheck {
  name: string;
  value?: unknown;
  blocking: boolean;
}

export interface Column {
  name: string;
  type?: string;
  description?: string;
  primaryKey: boolean;
  /** `update_on_merge`: the merge strategy overwrites this column on matching keys. */
  updateOnMerge: boolean;
  /**
   * `merge_sql`: the value written on a matching key by the merge strategy, an
   * SQL expression over the `target` and `source` aliases. A column with one
   * is updated on merge even without `update_on_merge` (as the reference CLI does).
   */
  mergeSql?: string;
  /** `foreign_key: {table, column}`: the parent column the `relationships` check looks values up in. */
  foreignKey?: ForeignKey;
  /** `nullable: false`: the column is NOT NULL in tables created from the columns (ddl, Data Vault). */
  nullable?: boolean;
  /** `meta.datavault_role`: the column's role in a Data Vault hub, link or satellite. */
  datavaultRole?: string;
  checks: ColumnCheck[];
}

/** A column's `foreign_key`: an asset of the pipeline (`table`) and one of its columns. */
export interface ForeignKey {
  table: string;
  column: string;
}

export interface CustomCheck {
  name: string;
  query: string;
  /** The value the query's single result must equal. */
  value: number;
  /** `count:` instead: the number of rows the query must return (then `value` is not compared). */
  count?: number;
  blocking: boolean;
  description?: string;
}

/** One `secrets:` item: the connection `key`, injected as the environment variable `injectAs` (default: the key). */
export interface SecretRef {
  key: string;
  injectAs: string;
}

/** How a code (Python or R) asset runs. */
export interface CodeSpec {
  language: "python" | "r";
  /** `image: python:3.11` picks the interpreter version. */
  image?: string;
  /** The connections injected as environment variables (the asset's own, then the pipeline's `default:` ones). */
  secrets: SecretRef[];
  /** `timeout:` (or the pipeline's `default: timeout:`), in milliseconds. */
  timeoutMs?: number;
}

export interface Asset {
  name: string;
  /** e.g. `duckdb.sql`. */
  type: string;
  /** The connection type it runs on, e.g. "duckdb", "postgres", "mysql". */
  platform: string;
  /** The resolved connection name. */
  connection: string;
  depends: string[];
  /** `enabled:` as written: false (or a template rendering to false) skips the asset and its checks. */
  enabled?: boolean | string;
  /** `depends` items with `mode: symbolic`: upstreams for lineage only, which the asset does not wait for. */
  symbolicDepends?: string[];
  materialization?: Materialization;
  /**
   * `full_refresh_restricted` (or its older name `refresh_restricted`): a full
   * refresh keeps this asset's table and runs its strategy as usual.
   */
  fullRefreshRestricted?: boolean;
  columns: Column[];
  customChecks: CustomCheck[];
  tags: string[];
  /** The SQL after the header, not yet rendered. */
  query: string;
  /** Absolute path of the asset file. */
  path: string;
  /** 1-based line of `/* @bruin`. */
  headerLine: number;
  /** 1-based line of the file where the query starts (for render errors). */
  queryLine: number;
  /**
   * `timeout:` (or the pipeline's `default: timeout:`), in milliseconds: a SQL
   * asset still running then is cancelled on its engine (code assets: `code.timeoutMs`).
   */
  timeoutMs?: number;
  /** `start_date:` of the asset, `YYYY-MM-DD` (checked when the asset is read). */
  startDate?: string;
  /** `interval_modifiers:` (its own, else the pipeline default's), applied with `--apply-interval-modifiers`. */
  intervalModifiers?: IntervalModifiers;
  /**
   * Set for assets this library cannot run (Python, ingestr, unknown types):
   * why, naming the asset. They load so the rest of the pipeline can run; they
   * fail validation only when selected, and fail their task if run anyway.
   */
  unsupported?: string;
  /** Set for Python and R assets: `query` then holds the script after the header. */
  code?: CodeSpec;
  /** `hooks:` (each side falling back to the pipeline's `default: hooks:`): queries run around a SQL asset's query. */
  hooks?: Hooks;
  /** Set for seed assets (`<platform>.seed`): the CSV loaded into the asset's table. */
  seed?: SeedSpec;
  /** Set for sensor assets (`<platform>.sensor.query`, `.sensor.table`): what they wait for. */
  sensor?: SensorSpec;
}

interface TaskBase {
  /** `<asset>`, `<asset>:<column>:<check>` or `<asset>:custom-check:<name>`. */
  id: string;
  asset: Asset;
  /** The same as `asset.name`. */
  assetName: string;
  /** Ids of the tasks that must succeed first; ids absent from the run are ignored. */
  upstream: string[];
}

export interface AssetTask extends TaskBase {
  kind: "asset";
}

export interface ColumnCheckTask extends TaskBase {
  kind: "column-check";
  column: Column;
  check: ColumnCheck;
  blocking: boolean;
}

export interface CustomCheckTask extends TaskBase {
  kind: "custom-check";
  check: CustomCheck;
  blocking: boolean;
}

export type Task = AssetTask | ColumnCheckTask | CustomCheckTask;

export type TaskStatus = "succeeded" | "failed" | "upstream_failed" | "skipped";

export interface TaskOutcome {
  task: Task;
  status: TaskStatus;
  /** 0 for a task that never ran. */
  durationMs: number;
  /** The failure message of a failed task. */
  error?: string;
  /** Absent for a task that never ran (upstream_failed, skipped). */
  startedAt?: Date;
}

export interface RunResult {
  /** When the run began. */
  startedAt: Date;
  tasks: TaskOutcome[];
  /** True when every task succeeded, or was skipped because its asset is disabled (`enabled:` false). */
  ok: boolean;
  durationMs: number;
}

/**
 * `task-finish` is also sent, with durationMs 0 and no startedAt, for a task
 * marked upstream_failed or skipped without running.
 */
export type RunEvent =
  | { type: "task-start"; task: Task; startedAt: Date }
  | {
      type: "task-finish";
      task: Task;
      status: TaskStatus;
      durationMs: number;
      error?: string;
      startedAt?: Date;
    };
