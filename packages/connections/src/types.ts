/** The connection types a secret's `type` may name (`mongo` is accepted as an alias of `mongodb`). */
export const CONNECTION_TYPES = [
  "postgres",
  "redshift",
  "mysql",
  "mssql",
  "snowflake",
  "google_cloud_platform",
  "databricks",
  "mongodb",
  "duckdb",
  "generic",
] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/** A connection whose details passed its type's schema, defaults applied. */
export interface ValidatedConnection<D extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** The canonical type (`mongo` becomes `mongodb`). */
  type: ConnectionType;
  details: D;
}

export type Row = Record<string, unknown>;

export interface QueryResult {
  /** Empty for a statement that returns no result set (DDL, INSERT/UPDATE/DELETE without RETURNING). */
  columns: string[];
  /** The engine's type name of each column, in `columns` order, where the driver says (DuckDB, PostgreSQL, MySQL). */
  columnTypes?: string[];
  rows: Row[];
  /** For a statement without a result set that changes rows: how many it changed, where the engine says. */
  rowsAffected?: number;
}

export type DialectName =
  | "duckdb"
  | "postgres"
  | "redshift"
  | "mysql"
  | "mssql"
  | "snowflake"
  | "bigquery"
  | "databricks"
  /** Not SQL: MongoDB adapters take JSON command documents; names quote as JSON strings. */
  | "mongodb";

/** What SQL generation needs to know about an engine. */
export interface Dialect {
  readonly name: DialectName;
  /** Quotes one identifier part: `order` → `"order"` (or `` `order` `` on MySQL). */
  quoteIdentifier(part: string): string;
  /** Quotes a dotted name part by part: `mart.revenue` → `"mart"."revenue"`. */
  quoteName(qualifiedName: string): string;
  /** Whether CREATE/DROP/ALTER take part in a transaction and roll back with it. */
  readonly transactionalDdl: boolean;
  /** Whether the engine has schemas a table name may be qualified with (`CREATE SCHEMA IF NOT EXISTS`). */
  readonly supportsSchemas: boolean;
  /** Wraps a query so the database stops after `limit` rows (`LIMIT`, or `TOP` on SQL Server). */
  limitRows(query: string, limit: number): string;
  /**
   * The grammar column lineage reads this dialect's queries with: the name of
   * a node-sql-parser grammar (its `build/<name>.js`). Absent where that
   * parser has none: such queries get no column lineage.
   */
  readonly sqlGrammar?: string;
}

/** An open connection. All statements of one call run on one session. */
export interface ConnectionAdapter {
  readonly name: string;
  readonly type: ConnectionType;
  readonly dialect: Dialect;
  /** Runs one statement and returns its rows (values converted to plain JS: numbers, strings, booleans, Date, null; BIGINT as number when safe, else string). */
  query(sql: string): Promise<QueryResult>;
  /** Runs one statement or a script of several separated by `;`, discarding results. */
  exec(sql: string): Promise<void>;
  /**
   * Runs the statements in order on one session inside a transaction, rolling
   * back when one fails. On engines without transactional DDL the statements
   * still run in order on one session; atomicity is then the caller's concern.
   */
  transaction(statements: readonly string[]): Promise<void>;
  /** Checks the connection works (a `SELECT 1` or the driver's ping). */
  ping(): Promise<void>;
  /**
   * Asks the server to stop the statements this connection is running now:
   * PostgreSQL and Redshift through the protocol's cancel request, MySQL with
   * `KILL QUERY` on a separate session, DuckDB by interrupting its connection.
   * The cancelled calls reject. Resolves once the request is delivered (or
   * failed); never throws. Absent where the engine offers no way to cancel.
   * With a `scope` (see inCancelScope), only the statements started within
   * it are cancelled; the other statements on the connection go on.
   */
  cancel?(scope?: object): Promise<void>;
  /**
   * Streams `data` into a `COPY … FROM STDIN` statement on one session, with
   * backpressure (only what the socket has not taken yet is buffered), and
   * resolves with the rows the server copied. When `data` throws, the COPY is
   * aborted (nothing of it is kept) and that error is rethrown as it is.
   * PostgreSQL only: absent elsewhere (Redshift has no COPY from the client).
   */
  copyFrom?(statement: string, data: AsyncIterable<string>): Promise<number>;
  close(): Promise<void>;
}
