import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import { AnsiIncremental } from "./ansi-incremental.js";
import { ALL_CHECKS, ALL_STRATEGIES } from "./lists.js";

export class DuckDbEngine extends AnsiEngine {
  override readonly assetTypes = ["duckdb.sql"];
  override readonly defaultConnection = "duckdb-default";
  override readonly incremental: AnsiIncremental = new AnsiIncremental(this);

  constructor() {
    super(DIALECTS.duckdb, { merge: true, regex: true, scripts: true, strategies: ALL_STRATEGIES, checks: ALL_CHECKS });
  }

  override patternMismatch(text: string, pattern: string): string {
    return `NOT regexp_full_match(${text}, ${pattern})`;
  }

  /** CREATE OR REPLACE TABLE, inside a transaction: DuckDB's DDL is transactional. */
  protected override async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    await adapter.transaction([this.createOrReplaceTable(name, query)]);
  }
}

export const duckdb = new DuckDbEngine();
