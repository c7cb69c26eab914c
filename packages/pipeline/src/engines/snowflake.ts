import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import type { ColumnTypeRules } from "./engine.js";
import { ALL_CHECKS, REPLACE_ONLY } from "./lists.js";

/** Snowflake's column types, as the reference's policy rule knows them. */
export const SNOWFLAKE_COLUMN_TYPES: ColumnTypeRules = {
  label: "Snowflake",
  types: new Set([
    ..."number decimal numeric int integer bigint smallint tinyint byteint float float4 float8 double real varchar char character string text binary varbinary boolean date datetime time timestamp timestamp_ltz timestamp_ntz timestamp_tz variant object array geography geometry vector".split(
      " ",
    ),
    "double precision",
  ]),
};

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export class SnowflakeEngine extends AnsiEngine {
  override readonly assetTypes = ["sf.sql"];
  override readonly defaultConnection = "snowflake-default";

  constructor() {
    super(DIALECTS.snowflake, { regex: true, backslashEscapes: true, strategies: REPLACE_ONLY, checks: ALL_CHECKS });
  }

  /**
   * Snowflake folds unquoted names to upper case, so quoting `revenue` as
   * `"revenue"` would create a table that the user's own unquoted
   * `SELECT ... FROM revenue` cannot find: plain identifiers stay unquoted
   * and only unusual ones are quoted.
   */
  override quoteIdent(part: string): string {
    return PLAIN_IDENTIFIER.test(part) ? part : super.quoteIdent(part);
  }

  /** REGEXP_LIKE matches the whole value. */
  override patternMismatch(text: string, pattern: string): string {
    return `NOT REGEXP_LIKE(${text}, ${pattern})`;
  }

  /** CREATE OR REPLACE swaps the table atomically. */
  protected override async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    await adapter.exec(this.createOrReplaceTable(name, query));
  }
}

export const snowflake = new SnowflakeEngine();
