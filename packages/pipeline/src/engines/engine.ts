import type { COLUMN_CHECK_NAMES } from "../asset-fields.js";
import type { Asset } from "../model.js";
import type { RunInterval } from "../render.js";
import type { TableStrategy } from "../strategies.js";

export type ColumnCheckName = (typeof COLUMN_CHECK_NAMES)[number];
export type IncrementalStrategy = Exclude<TableStrategy, "create+replace">;

/** The kinds of value a code asset (the Python runner) reports for a column of the rows it loads. */
export type ValueKind = "int" | "float" | "bool" | "str" | "date" | "timestamp" | "json";

/** How a platform is named: the asset types that run on it, its connection type, its default connection. */
export interface PlatformNames {
  /** The connection type its assets run on (an asset's `platform`). */
  readonly platform: string;
  /** Asset types that run on it, e.g. `pg.sql`. */
  readonly assetTypes: readonly string[];
  /** The connection used when neither the asset nor the pipeline names one. */
  readonly defaultConnection: string;
  /** Other keys `default_connections` may name the platform by (`gcp` for `google_cloud_platform`). */
  readonly platformAliases: readonly string[];
}

/**
 * What an engine claims to do. `validate` and `run` both decide from this;
 * engines.contract.test.ts holds every claim to the module's implementation.
 */
export interface Capabilities {
  /** CREATE/DROP/ALTER roll back with a transaction (the dialect's flag). */
  readonly transactionalDdl: boolean;
  /** Tables live in schemas made with CREATE SCHEMA (the dialect's flag). */
  readonly schemas: boolean;
  /** The merge strategy is one MERGE statement. */
  readonly merge: boolean;
  /** A regular-expression match, which the `pattern` check needs. */
  readonly regex: boolean;
  /** String literals treat `\` as an escape character by default. */
  readonly backslashEscapes: boolean;
  /** The adapter runs a whole `;`-separated script on one session in one call. */
  readonly scripts: boolean;
  /** Bulk load: rows a code asset streams are read from newline-delimited JSON files (else multi-row INSERTs). */
  readonly jsonLinesLoad: boolean;
  /** Table materialization strategies it runs. */
  readonly strategies: readonly TableStrategy[];
  /** Column checks it runs. */
  readonly checks: readonly ColumnCheckName[];
}

/**
 * How an incremental strategy runs on one engine: `build` (optional, outside
 * any transaction) materializes the new rows into a scratch table, `apply`
 * runs as one transaction, `cleanup` (optional) always runs afterwards.
 */
export interface IncrementalPlan {
  build?: string;
  apply: string[];
  cleanup?: string;
}

export interface IncrementalInput {
  strategy: IncrementalStrategy;
  /** The table's name as the asset gives it. */
  table: string;
  /** The rendered query, trailing semicolons removed. */
  query: string;
  /** The query's result columns (inserted by name). */
  columns: readonly string[];
  asset: Asset;
  /** A fresh name for the scratch table. */
  scratch: string;
  /** The run's interval, whose rows the time_interval strategy replaces. */
  interval?: RunInterval;
  /** The instant SCD2 strategies stamp versions with (default: now). */
  now?: Date;
}

/** What a run gives an incremental strategy besides the query: its interval and its clock. */
export interface RunContext {
  interval?: RunInterval;
  now?: Date;
}

/**
 * The column types a platform accepts, for the `column-type-is-valid-for-platform`
 * policy rule: its name as messages show it, and the types in lower case,
 * without their `(…)` parameters.
 */
export interface ColumnTypeRules {
  readonly label: string;
  readonly types: ReadonlySet<string>;
}
