import type { ConnectionAdapter, Dialect } from "@bruin-ts/connections";
import { splitName, siblingName } from "../names.js";
import type { AnsiIncremental } from "./ansi-incremental.js";
import type { Asset, Column } from "../model.js";
import type { Capabilities, ColumnCheckName, PlatformNames, ValueKind } from "./engine.js";
import { utcTimestamp } from "./time.js";

/** The column checks plain SQL can express: all but `pattern`, which needs a regular expression. */
export const ANSI_CHECKS: readonly ColumnCheckName[] = [
  "not_null",
  "unique",
  "positive",
  "negative",
  "non_negative",
  "min",
  "max",
  "accepted_values",
];

/**
 * The shared default implementation of an engine, in standard SQL: every
 * engine module extends it and overrides only what its engine does
 * differently (as dbt's `postgres__…` macros override `default__…`).
 * Used as it is for a dialect no engine module claims, which then claims no
 * table strategy.
 */
export class AnsiEngine implements PlatformNames {
  readonly platform: string;
  readonly assetTypes: readonly string[] = [];
  readonly defaultConnection: string;
  readonly platformAliases: readonly string[] = [];
  readonly capabilities: Capabilities;
  /** The incremental strategies' SQL; absent on engines that run none. */
  readonly incremental?: AnsiIncremental;
  /** The type a value is cast to for text comparisons. */
  readonly textType: string = "VARCHAR";

  constructor(
    readonly dialect: Dialect,
    capabilities: Partial<Omit<Capabilities, "transactionalDdl" | "schemas">> = {},
  ) {
    this.platform = dialect.name;
    this.defaultConnection = `${dialect.name}-default`;
    this.capabilities = {
      transactionalDdl: dialect.transactionalDdl,
      schemas: dialect.supportsSchemas,
      merge: false,
      regex: false,
      backslashEscapes: false,
      scripts: false,
      jsonLinesLoad: false,
      strategies: [],
      checks: ANSI_CHECKS,
      ...capabilities,
    };
  }

  /** The dialect's name (`bigquery` for the `google_cloud_platform` type), as messages give it. */
  get name(): string {
    return this.dialect.name;
  }

  // --- quoting and types ---

  /** Quotes one identifier part for generated SQL. */
  quoteIdent(part: string): string {
    return this.dialect.quoteIdentifier(part);
  }

  /** Quotes a dotted name part by part. */
  quoteTable(name: string): string {
    return name
      .split(".")
      .map((part) => this.quoteIdent(part))
      .join(".");
  }

  stringLiteral(value: string): string {
    let body = value.replaceAll("'", "''");
    if (this.capabilities.backslashEscapes) body = body.replaceAll("\\", "\\\\");
    return `'${body}'`;
  }

  castToText(expression: string): string {
    return `CAST(${expression} AS ${this.textType})`;
  }

  // --- bulk load (the rows a code asset streams) ---

  /** The column type a kind of value is stored as. */
  valueType(kind: ValueKind): string {
    switch (kind) {
      case "int":
        return "BIGINT";
      case "float":
        return "DOUBLE";
      case "bool":
        return "BOOLEAN";
      case "date":
        return "DATE";
      case "timestamp":
        return "TIMESTAMP";
      default:
        return "TEXT";
    }
  }

  /** A string value (text, or a date or timestamp in ISO form) as a literal. */
  textValueLiteral(value: string): string {
    return this.stringLiteral(value);
  }

  /**
   * The statement inserting a newline-delimited JSON file's rows into a
   * table, on engines that read such files (and claim `jsonLinesLoad`).
   * `columns` are quoted; `types` pair each column's name with its type.
   */
  insertFromJsonLines?(
    table: string,
    columns: string,
    file: string,
    types: ReadonlyArray<readonly [string, string]>,
  ): string;

  /**
   * The `COPY … FROM STDIN` statement reading CSV rows (see csvField) into a
   * table, on engines whose adapter streams COPY data (`copyFrom`).
   * `columns` are quoted.
   */
  copyFromCsv?(table: string, columns: string): string;

  // --- time and comparison (time_interval, SCD2) ---

  /** The type of an absolute instant (SCD2's `_valid_from` and `_valid_until`). */
  readonly instantType: string = "TIMESTAMPTZ";

  /** A date literal, `2024-03-05`. */
  dateLiteral(date: string): string {
    return `DATE ${this.stringLiteral(date)}`;
  }

  /** A timestamp literal without a zone, `2024-03-05 10:00:00.000000`. */
  timestampLiteral(timestamp: string): string {
    return `TIMESTAMP ${this.stringLiteral(timestamp)}`;
  }

  /** An instant as a literal of `instantType`. */
  instantLiteral(at: Date): string {
    return `CAST(${this.stringLiteral(`${utcTimestamp(at)}+00`)} AS ${this.instantType})`;
  }

  /** A date or timestamp expression as an instant; a value without a zone is read as UTC. */
  utcInstant(expression: string): string {
    return `(CAST(${expression} AS TIMESTAMP) AT TIME ZONE 'UTC')`;
  }

  /** True when both values are equal or both are NULL. */
  notDistinct(a: string, b: string): string {
    return `${a} IS NOT DISTINCT FROM ${b}`;
  }

  // --- tables from declared columns (the ddl strategy) ---

  /** One column of a CREATE TABLE from the asset's `columns:`. */
  protected columnDefinition(column: Column): string {
    return `${this.quoteIdent(column.name)} ${column.type ?? ""}${column.nullable === false ? " NOT NULL" : ""}`;
  }

  /** The statements describing the columns, after the table exists. */
  protected columnComments(table: string, columns: readonly Column[]): string[] {
    return columns
      .filter((c) => c.description)
      .map(
        (c) =>
          `COMMENT ON COLUMN ${this.quoteTable(table)}.${this.quoteIdent(c.name)} IS ${this.stringLiteral(c.description!)}`,
      );
  }

  /**
   * CREATE TABLE IF NOT EXISTS from the asset's declared columns and types,
   * with their primary key and descriptions; an existing table is left as it is.
   */
  createTableStatements(asset: Asset): string[] {
    const definitions = asset.columns.map((c) => this.columnDefinition(c));
    const keys = asset.columns.filter((c) => c.primaryKey).map((c) => this.quoteIdent(c.name));
    if (keys.length > 0) definitions.push(`PRIMARY KEY (${keys.join(", ")})`);
    return [
      `CREATE TABLE IF NOT EXISTS ${this.quoteTable(asset.name)} (\n  ${definitions.join(",\n  ")}\n)`,
      ...this.columnComments(asset.name, asset.columns),
    ];
  }

  // --- checks ---

  /** The condition a value failing a `pattern` check meets; engines with regular expressions define it. */
  patternMismatch?(text: string, pattern: string): string;

  /** Why a column check cannot run here. */
  checkNotSupported(check: string): string {
    return `the '${check}' check is not supported on ${this.name}`;
  }

  /** Why a table strategy cannot run here. */
  strategyNotSupported(strategy: string): string {
    if (this.capabilities.strategies.length === 0) return `table materialization on ${this.name} is not supported yet`;
    return `materialization strategy '${strategy}' is not supported on ${this.name} yet`;
  }

  // --- tables and views ---

  /** The expression of the session's current schema, for unqualified names. */
  readonly currentSchema: string = "current_schema()";

  /** The statement creating the schema a qualified name lives in, if the engine has schemas. */
  createParentStatement(parent: string): string | undefined {
    return this.capabilities.schemas ? `CREATE SCHEMA IF NOT EXISTS ${this.quoteTable(parent)}` : undefined;
  }

  /** Creates the schema (or database) a qualified name lives in. */
  async ensureParent(adapter: ConnectionAdapter, name: string): Promise<void> {
    const { parent } = splitName(name);
    if (!parent) return;
    const statement = this.createParentStatement(parent);
    if (statement === undefined) return;
    try {
      await adapter.exec(statement);
    } catch {
      // Two tasks creating the same schema at once can race on PostgreSQL
      // ("duplicate key value"); the second attempt then sees it exists.
      await adapter.exec(statement);
    }
  }

  createViewStatement(name: string, query: string): string {
    return `CREATE OR REPLACE VIEW ${this.quoteTable(name)} AS\n${query}`;
  }

  async replaceView(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    await this.ensureParent(adapter, name);
    await adapter.exec(this.createViewStatement(name, query));
  }

  /**
   * Builds the table from the query and swaps it in atomically: a failing
   * query leaves the previous table and its rows untouched.
   */
  async replaceTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    await this.ensureParent(adapter, name);
    await this.swapTable(adapter, name, query);
  }

  /**
   * The default swap, for engines with transactional DDL: build the new table
   * beside the old one, drop the old one and rename the new one, all in one
   * transaction; on any failure everything rolls back, the new table
   * included. DROP fails (rather than cascading) when views depend on the table.
   */
  protected async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    const tmp = siblingName(name, "__bruin_tmp_");
    await adapter.transaction([
      `CREATE TABLE ${this.quoteTable(tmp)} AS\n${query}`,
      `DROP TABLE IF EXISTS ${this.quoteTable(name)}`,
      `ALTER TABLE ${this.quoteTable(tmp)} RENAME TO ${this.quoteIdent(splitName(name).table)}`,
    ]);
  }

  /** `CREATE OR REPLACE TABLE ... AS`, for engines that swap atomically in that one statement. */
  protected createOrReplaceTable(name: string, query: string): string {
    return `CREATE OR REPLACE TABLE ${this.quoteTable(name)} AS\n${query}`;
  }
}
