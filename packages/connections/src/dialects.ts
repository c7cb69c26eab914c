import type { ConnectionType, Dialect, DialectName } from "./types.js";

function makeDialect(
  name: DialectName,
  open: string,
  close: string,
  flags: { transactionalDdl: boolean; supportsSchemas: boolean },
): Dialect {
  const quoteIdentifier = (part: string) => `${open}${part.split(close).join(close + close)}${close}`;
  return {
    name,
    quoteIdentifier,
    quoteName: (qualifiedName: string) => qualifiedName.split(".").map(quoteIdentifier).join("."),
    ...flags,
  };
}

export const DIALECTS: Record<DialectName, Dialect> = {
  duckdb: makeDialect("duckdb", '"', '"', { transactionalDdl: true, supportsSchemas: true }),
  postgres: makeDialect("postgres", '"', '"', { transactionalDdl: true, supportsSchemas: true }),
  redshift: makeDialect("redshift", '"', '"', { transactionalDdl: true, supportsSchemas: true }),
  // MySQL's "schema" is a database; a dotted name still quotes as `db`.`table`.
  mysql: makeDialect("mysql", "`", "`", { transactionalDdl: false, supportsSchemas: false }),
  mssql: makeDialect("mssql", "[", "]", { transactionalDdl: true, supportsSchemas: true }),
  snowflake: makeDialect("snowflake", '"', '"', { transactionalDdl: false, supportsSchemas: true }),
  bigquery: makeDialect("bigquery", "`", "`", { transactionalDdl: false, supportsSchemas: true }),
  databricks: makeDialect("databricks", "`", "`", { transactionalDdl: false, supportsSchemas: true }),
  // Not a SQL dialect: the mongodb adapter reads JSON command documents, where a name is a JSON string.
  mongodb: {
    name: "mongodb",
    quoteIdentifier: (part: string) => JSON.stringify(part),
    quoteName: (qualifiedName: string) => JSON.stringify(qualifiedName),
    transactionalDdl: false,
    supportsSchemas: false,
  },
};

const DIALECT_OF_TYPE: Partial<Record<ConnectionType, DialectName>> = {
  duckdb: "duckdb",
  postgres: "postgres",
  redshift: "redshift",
  mysql: "mysql",
  mssql: "mssql",
  snowflake: "snowflake",
  google_cloud_platform: "bigquery",
  databricks: "databricks",
};

/** The SQL dialect of a connection type; throws for types that do not speak SQL (generic, mongodb). */
export function dialectFor(type: ConnectionType): Dialect {
  const name = DIALECT_OF_TYPE[type];
  if (!name) throw new Error(`connection type '${type}' has no SQL dialect`);
  return DIALECTS[name];
}
