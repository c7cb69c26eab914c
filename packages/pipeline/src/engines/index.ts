import type { Dialect } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import { BIGQUERY_COLUMN_TYPES, bigquery } from "./bigquery.js";
import { databricks } from "./databricks.js";
import { duckdb } from "./duckdb.js";
import type { ColumnTypeRules, PlatformNames } from "./engine.js";
import { mongodb } from "./mongodb.js";
import { mssql } from "./mssql.js";
import { mysql } from "./mysql.js";
import { postgres } from "./postgres.js";
import { redshift } from "./redshift.js";
import { SNOWFLAKE_COLUMN_TYPES, snowflake } from "./snowflake.js";
import type { TableStrategy } from "../strategies.js";

export { AnsiEngine } from "./ansi.js";
export type { PlatformNames } from "./engine.js";

/** Every SQL engine, one line each. Adding an engine adds its module and one line here. */
export const ENGINES: readonly AnsiEngine[] = [
  duckdb,
  postgres,
  redshift,
  mysql,
  mssql,
  snowflake,
  bigquery,
  databricks,
];

/** Every platform an asset or `default_connections` may name: the SQL engines and the others. */
export const PLATFORMS: readonly PlatformNames[] = [...ENGINES, mongodb];

const BY_DIALECT = new Map<string, AnsiEngine>(ENGINES.map((e) => [e.name, e]));
const BY_PLATFORM = new Map<string, AnsiEngine>(ENGINES.map((e) => [e.platform, e]));
const PLATFORM_BY_ASSET_TYPE = new Map<string, string>(
  PLATFORMS.flatMap((p) => p.assetTypes.map((t) => [t, p.platform] as const)),
);
const PLATFORM_BY_ALIAS = new Map<string, string>(
  PLATFORMS.flatMap((p) => p.platformAliases.map((a) => [a, p.platform] as const)),
);
const DEFAULT_CONNECTION = new Map<string, string>(PLATFORMS.map((p) => [p.platform, p.defaultConnection]));
const FALLBACKS = new Map<string, AnsiEngine>();

/**
 * The engine of an adapter's dialect. A dialect no engine module claims
 * (MongoDB's) gets the ANSI default, which claims no table strategy.
 */
export function engineForDialect(dialect: Dialect): AnsiEngine {
  const engine = BY_DIALECT.get(dialect.name);
  if (engine) return engine;
  let fallback = FALLBACKS.get(dialect.name);
  if (!fallback) {
    fallback = new AnsiEngine(dialect);
    FALLBACKS.set(dialect.name, fallback);
  }
  return fallback;
}

/** The SQL engine of a platform (connection type), or undefined when it runs no SQL assets. */
export function engineForPlatform(platform: string): AnsiEngine | undefined {
  return BY_PLATFORM.get(platform);
}

/** Asset type → the connection type (platform) it runs on. */
export function platformOfAssetType(assetType: string): string | undefined {
  return PLATFORM_BY_ASSET_TYPE.get(assetType);
}

/** A `default_connections` key as the connection type it means (`gcp` → `google_cloud_platform`). */
export function canonicalPlatform(key: string): string {
  return PLATFORM_BY_ALIAS.get(key) ?? key;
}

/** The connection name used when neither the asset nor the pipeline names one. */
export function builtInDefaultConnection(platform: string): string {
  return DEFAULT_CONNECTION.get(platform) ?? `${platform}-default`;
}

/**
 * Why the engine cannot run a table strategy, or undefined when it can.
 * `validate` and `run` both ask this, so they cannot disagree.
 */
export function strategyProblem(engine: AnsiEngine, strategy: TableStrategy): string | undefined {
  return engine.capabilities.strategies.includes(strategy) ? undefined : engine.strategyNotSupported(strategy);
}

/** Why the engine cannot run a column check, or undefined when it can (see `strategyProblem`). */
export function checkProblem(engine: AnsiEngine, check: string): string | undefined {
  return (engine.capabilities.checks as readonly string[]).includes(check)
    ? undefined
    : engine.checkNotSupported(check);
}

/** The engines whose column types the `column-type-is-valid-for-platform` policy rule checks. */
const COLUMN_TYPES = new Map<string, ColumnTypeRules>([
  [bigquery.platform, BIGQUERY_COLUMN_TYPES],
  [snowflake.platform, SNOWFLAKE_COLUMN_TYPES],
]);

/** The column types the platform of an asset type accepts, when this library knows them. */
export function columnTypeRules(assetType: string): ColumnTypeRules | undefined {
  const platform = platformOfAssetType(assetType);
  return platform === undefined ? undefined : COLUMN_TYPES.get(platform);
}
