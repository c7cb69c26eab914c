import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import { ALL_CHECKS, REPLACE_ONLY } from "./lists.js";

export class DatabricksEngine extends AnsiEngine {
  override readonly assetTypes = ["databricks.sql"];
  override readonly defaultConnection = "databricks-default";
  override readonly textType = "STRING";

  constructor() {
    super(DIALECTS.databricks, { regex: true, backslashEscapes: true, strategies: REPLACE_ONLY, checks: ALL_CHECKS });
  }

  override patternMismatch(text: string, pattern: string): string {
    return `NOT (${text} RLIKE ${pattern})`;
  }

  /** CREATE OR REPLACE swaps the table atomically. */
  protected override async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    await adapter.exec(this.createOrReplaceTable(name, query));
  }
}

export const databricks = new DatabricksEngine();
