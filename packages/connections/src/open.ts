import { UnsupportedConnectionTypeError } from "./errors.js";
import type { OpenOptions } from "./open-options.js";
import type { ConnectionAdapter, ValidatedConnection } from "./types.js";

/**
 * Opens a driver adapter for a validated connection. Each driver is loaded
 * with `import()` the first time a connection of its type is opened, so a run
 * that only uses DuckDB loads none of the others (and the other way round).
 * Opening does not talk to the server: the first statement (or `ping`) does,
 * within `options.connectTimeoutMs`.
 */
export async function openConnection(connection: ValidatedConnection, options?: OpenOptions): Promise<ConnectionAdapter> {
  switch (connection.type) {
    case "duckdb": {
      const { openDuckDB } = await import("./adapters/duckdb.js");
      return openDuckDB(connection, options);
    }
    case "postgres":
    case "redshift": {
      const { openPostgres } = await import("./adapters/postgres.js");
      return openPostgres(connection);
    }
    case "mysql": {
      const { openMySQL } = await import("./adapters/mysql.js");
      return openMySQL(connection);
    }
    case "mssql": {
      const { openMSSQL } = await import("./adapters/mssql.js");
      return openMSSQL(connection, options);
    }
    case "snowflake": {
      const { openSnowflake } = await import("./adapters/snowflake.js");
      return openSnowflake(connection, options);
    }
    case "google_cloud_platform": {
      const { openBigQuery } = await import("./adapters/bigquery.js");
      return openBigQuery(connection);
    }
    case "databricks": {
      const { openDatabricks } = await import("./adapters/databricks.js");
      return openDatabricks(connection, options);
    }
    case "mongodb": {
      const { openMongoDB } = await import("./adapters/mongodb.js");
      return openMongoDB(connection, options);
    }
    case "generic":
      throw new UnsupportedConnectionTypeError(
        connection.name,
        connection.type,
        "a generic connection holds a value for assets to read, not a database connection",
      );
    default:
      throw new UnsupportedConnectionTypeError(connection.name, connection.type);
  }
}
