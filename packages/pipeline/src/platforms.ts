/** Asset type → the connection type (platform) it runs on. */
const PLATFORM_BY_ASSET_TYPE: Record<string, string> = {
  "duckdb.sql": "duckdb",
  "pg.sql": "postgres",
  "rs.sql": "redshift",
  "my.sql": "mysql",
  "ms.sql": "mssql",
  "sf.sql": "snowflake",
  "bq.sql": "google_cloud_platform",
  "databricks.sql": "databricks",
};

/** The connection name used when neither the asset nor the pipeline names one. */
const DEFAULT_CONNECTION_BY_PLATFORM: Record<string, string> = {
  duckdb: "duckdb-default",
  postgres: "postgres-default",
  redshift: "redshift-default",
  mysql: "mysql-default",
  mssql: "mssql-default",
  snowflake: "snowflake-default",
  google_cloud_platform: "gcp-default",
  databricks: "databricks-default",
  mongodb: "mongo-default",
};

/** `default_connections` keys people write that mean a connection type by another name. */
const PLATFORM_ALIASES: Record<string, string> = {
  gcp: "google_cloud_platform",
  bigquery: "google_cloud_platform",
  mongo: "mongodb",
};

export function platformOfAssetType(assetType: string): string | undefined {
  return PLATFORM_BY_ASSET_TYPE[assetType];
}

export function canonicalPlatform(key: string): string {
  return PLATFORM_ALIASES[key] ?? key;
}

export function builtInDefaultConnection(platform: string): string {
  return DEFAULT_CONNECTION_BY_PLATFORM[platform] ?? `${platform}-default`;
}
