export * from "./types.js";
export { validateConnection, canonicalType, isConnectionType, type ValidateOptions } from "./validate.js";
export { sensitiveFieldValues, sensitiveFields, sensitiveValues, filledFields } from "./sensitive.js";
export { POSTGRES_SSL_MODES } from "./schemas.js";
export { defaultedFields } from "./field-defaults.js";
export { inCancelScope } from "./cancel-scope.js";
export { connectionsJsonSchema } from "./json-schema.js";
export { ConnectionError, DatabaseLockedError, MissingDriverError, UnsupportedConnectionTypeError } from "./errors.js";
export { assertDriverInstalled, driverPackage, isDriverInstalled } from "./drivers.js";
export { holdsPlainValue, locksDatabaseFile, openConnection } from "./open.js";
export { DEFAULT_CONNECT_RETRIES, DEFAULT_CONNECT_TIMEOUT_MS, type OpenOptions } from "./open-options.js";
export { splitStatements, type SplitOptions } from "./split-statements.js";
export { dialectFor, DIALECTS } from "./dialects.js";
export { postgresPoolConfig, postgresSsl, type PostgresDetails } from "./postgres-config.js";
export { mysqlPoolConfig, type MySQLDetails } from "./mysql-config.js";
export { mssqlConfig, mssqlDriverOptions, type MSSQLDetails } from "./mssql-config.js";
export {
  snowflakeConnectionOptions,
  type SnowflakeConnectionOptions,
  type SnowflakeDetails,
} from "./snowflake-config.js";
export { bigQueryOptions, serviceAccountCredentials, type BigQueryDetails } from "./bigquery-config.js";
export {
  databricksConnectOptions,
  databricksSessionOptions,
  type DatabricksConnectOptions,
  type DatabricksDetails,
  type DatabricksSessionOptions,
} from "./databricks-config.js";
export {
  mongoClientOptions,
  mongoUri,
  parseMongoCommand,
  parseMongoCommands,
  type MongoCommand,
  type MongoDetails,
} from "./mongodb-config.js";
