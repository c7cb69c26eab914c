import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import type { ColumnTypeRules } from "./engine.js";
import { ALL_CHECKS, REPLACE_ONLY } from "./lists.js";

/** BigQuery's column types, as the reference's policy rule knows them. */
export const BIGQUERY_COLUMN_TYPES: ColumnTypeRules = {
  label: "BigQuery",
  types: new Set(
    "string bytes int64 integer smallint tinyint byteint float64 numeric decimal bignumeric bigdecimal bool boolean timestamp date time datetime interval geography json struct array range".split(
      " ",
    ),
  ),
};

/** BigQuery: asset type `bq.sql`, connection type `google_cloud_platform`, dialect `bigquery`. */
export class BigQueryEngine extends AnsiEngine {
  override readonly platform = "google_cloud_platform";
  override readonly assetTypes = ["bq.sql"];
  override readonly defaultConnection = "gcp-default";
  override readonly platformAliases = ["gcp", "bigquery"];
  override readonly textType = "STRING";

  constructor() {
    super(DIALECTS.bigquery, { regex: true, backslashEscapes: true, strategies: REPLACE_ONLY, checks: ALL_CHECKS });
  }

  override patternMismatch(text: string, pattern: string): string {
    return `NOT REGEXP_CONTAINS(${text}, ${pattern})`;
  }

  /** CREATE OR REPLACE swaps the table atomically. */
  protected override async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    await adapter.exec(this.createOrReplaceTable(name, query));
  }
}

export const bigquery = new BigQueryEngine();
