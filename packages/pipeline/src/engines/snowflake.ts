import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import { ALL_CHECKS, REPLACE_ONLY } from "./lists.js";

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
