import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import type { ValueKind } from "./engine.js";
import { AnsiEngine } from "./ansi.js";
import { AnsiIncremental } from "./ansi-incremental.js";
import { ALL_CHECKS, ALL_STRATEGIES } from "./lists.js";

export class DuckDbEngine extends AnsiEngine {
  override readonly assetTypes = ["duckdb.sql"];
  override readonly defaultConnection = "duckdb-default";
  override readonly incremental: AnsiIncremental = new AnsiIncremental(this);

  constructor() {
    super(DIALECTS.duckdb, {
      merge: true,
      regex: true,
      scripts: true,
      jsonLinesLoad: true,
      strategies: ALL_STRATEGIES,
      checks: ALL_CHECKS,
    });
  }

  override patternMismatch(text: string, pattern: string): string {
    return `NOT regexp_full_match(${text}, ${pattern})`;
  }

  override valueType(kind: ValueKind): string {
    return kind === "str" || kind === "json" ? "VARCHAR" : super.valueType(kind);
  }

  /** read_json of the file, typed column by column. */
  override insertFromJsonLines(
    table: string,
    columns: string,
    file: string,
    types: ReadonlyArray<readonly [string, string]>,
  ): string {
    const typed = types.map(([name, type]) => `${this.stringLiteral(name)}: ${this.stringLiteral(type)}`);
    return (
      `INSERT INTO ${this.quoteTable(table)} (${columns}) SELECT ${columns} FROM read_json(${this.stringLiteral(file)}, ` +
      `format = 'newline_delimited', columns = {${typed.join(", ")}})`
    );
  }

  /** CREATE OR REPLACE TABLE, inside a transaction: DuckDB's DDL is transactional. */
  protected override async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    await adapter.transaction([this.createOrReplaceTable(name, query)]);
  }
}

export const duckdb = new DuckDbEngine();
