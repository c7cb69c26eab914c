import { DIALECTS } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import type { ValueKind } from "./engine.js";
import { AnsiIncremental } from "./ansi-incremental.js";
import { ALL_CHECKS, ALL_STRATEGIES } from "./lists.js";

/** PostgreSQL: the ANSI default almost as it is (tables swap in one transaction; MERGE needs >= 15). */
export class PostgresEngine extends AnsiEngine {
  override readonly assetTypes = ["pg.sql"];
  override readonly defaultConnection = "postgres-default";
  override readonly textType = "TEXT";
  override readonly incremental: AnsiIncremental = new AnsiIncremental(this);

  constructor() {
    super(DIALECTS.postgres, {
      merge: true,
      regex: true,
      scripts: true,
      strategies: ALL_STRATEGIES,
      checks: ALL_CHECKS,
    });
  }

  override patternMismatch(text: string, pattern: string): string {
    return `${text} !~ ${pattern}`;
  }

  override copyFromCsv(table: string, columns: string): string {
    return `COPY ${this.quoteTable(table)} (${columns}) FROM STDIN WITH (FORMAT csv)`;
  }

  override valueType(kind: ValueKind): string {
    return kind === "float" ? "DOUBLE PRECISION" : super.valueType(kind);
  }
}

export const postgres = new PostgresEngine();
