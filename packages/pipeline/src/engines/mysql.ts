import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { siblingName, splitName } from "../names.js";
import { AnsiEngine } from "./ansi.js";
import { AnsiIncremental, type IncrementalParts, type MergeParts } from "./ansi-incremental.js";
import type { IncrementalPlan, IncrementalStrategy, ValueKind } from "./engine.js";
import { ALL_BUT_DATAVAULT, ALL_CHECKS } from "./lists.js";
import { utcTimestamp } from "./time.js";
import type { Column } from "../model.js";
import { isDataVaultStrategy } from "../datavault.js";
import { INCREMENTAL_STRATEGIES } from "../strategies.js";

/**
 * MySQL commits DDL implicitly: the new rows are built into a real scratch
 * table beside the target first (a failing query stops there), then applied
 * with data statements only, which roll back together; the scratch table is
 * always dropped after.
 */
class MySqlIncremental extends AnsiIncremental {
  override readonly prebuildScratch = true;
  override readonly strategies: readonly IncrementalStrategy[] = INCREMENTAL_STRATEGIES.filter(
    (strategy) => !isDataVaultStrategy(strategy),
  );

  protected override scratchRef(scratch: string): string {
    return this.engine.quoteTable(scratch);
  }

  protected override wrap(apply: string[], needsScratch: boolean, parts: IncrementalParts): IncrementalPlan {
    // Stryker disable next-line ObjectLiteral: equivalent: unreachable, every MySQL plan reads the prebuilt scratch table (needsScratch is always true)
    if (!needsScratch) return { apply };
    return {
      build: `CREATE TABLE ${parts.scratch} AS\n${parts.input.query}`,
      apply,
      cleanup: `DROP TABLE IF EXISTS ${parts.scratch}`,
    };
  }

  /**
   * UPDATE ... JOIN, then INSERT of the new keys. ON DUPLICATE KEY UPDATE
   * would need a unique index on exactly the primary-key columns and cannot
   * see `target.`/`source.` in merge_sql.
   */
  protected override merge(m: MergeParts): IncrementalPlan {
    return this.updateThenInsert(
      m,
      (u) =>
        `UPDATE ${u.target} AS target JOIN ${u.scratch} AS source ON ${u.on} SET ${u.updates.map((x) => `target.${x.column} = ${x.value}`).join(", ")}`,
    );
  }
}

/** MySQL and MariaDB: a schema is a database; DDL commits on its own. */
export class MySqlEngine extends AnsiEngine {
  override readonly assetTypes = ["my.sql"];
  override readonly defaultConnection = "mysql-default";
  override readonly textType = "CHAR";
  override readonly currentSchema = "DATABASE()";
  override readonly incremental: AnsiIncremental = new MySqlIncremental(this);

  constructor() {
    super(DIALECTS.mysql, {
      regex: true,
      backslashEscapes: true,
      scripts: true,
      strategies: ALL_BUT_DATAVAULT,
      checks: ALL_CHECKS,
    });
  }

  override patternMismatch(text: string, pattern: string): string {
    return `${text} NOT REGEXP ${pattern}`;
  }

  /** DATETIME holds UTC: a zoned TIMESTAMP cannot hold SCD2's `9999-12-31` sentinel. */
  override readonly instantType = "DATETIME(6)";

  override instantLiteral(at: Date): string {
    return `CAST(${this.stringLiteral(utcTimestamp(at))} AS ${this.instantType})`;
  }

  override utcInstant(expression: string): string {
    return `CAST(${expression} AS ${this.instantType})`;
  }

  /** Compared as bytes: the default collations take `'b'` and `'B'` for equal. */
  override notDistinct(a: string, b: string): string {
    return `CAST(${a} AS BINARY) <=> CAST(${b} AS BINARY)`;
  }

  /** Descriptions are part of the column definition. */
  protected override columnDefinition(column: Column): string {
    const comment = column.description ? ` COMMENT ${this.stringLiteral(column.description)}` : "";
    return `${super.columnDefinition(column)}${comment}`;
  }

  protected override columnComments(): string[] {
    return [];
  }

  override valueType(kind: ValueKind): string {
    return kind === "timestamp" ? "DATETIME(6)" : super.valueType(kind);
  }

  /** MySQL takes no `T` or zone in a DATETIME literal: `2024-01-01T10:00:00+00:00` → `2024-01-01 10:00:00`. */
  override textValueLiteral(value: string): string {
    const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:Z|[+-]00:?00)?$/.exec(value);
    return this.stringLiteral(match ? `${match[1]} ${match[2]}` : value);
  }

  override createParentStatement(parent: string): string {
    return `CREATE DATABASE IF NOT EXISTS ${this.quoteTable(parent)}`;
  }

  /**
   * Build the new table beside the old one and swap both names in one atomic
   * RENAME TABLE; the old one is dropped after.
   */
  protected override async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    const q = (n: string) => this.quoteTable(n);
    const tmp = siblingName(name, "__bruin_tmp_");
    const old = siblingName(name, "__bruin_old_");
    try {
      await adapter.exec(`CREATE TABLE ${q(tmp)} AS\n${query}`);
      const existing = await this.objectType(adapter, name);
      if (existing) {
        await adapter.exec(`RENAME TABLE ${q(name)} TO ${q(old)}, ${q(tmp)} TO ${q(name)}`);
        await adapter.exec(`${existing === "VIEW" ? "DROP VIEW" : "DROP TABLE"} ${q(old)}`);
      } else {
        await adapter.exec(`RENAME TABLE ${q(tmp)} TO ${q(name)}`);
      }
    } catch (error) {
      await adapter.exec(`DROP TABLE IF EXISTS ${q(tmp)}`).catch(() => undefined);
      throw error;
    }
  }

  private async objectType(adapter: ConnectionAdapter, name: string): Promise<"TABLE" | "VIEW" | undefined> {
    const { parent, table } = splitName(name);
    const schema = parent ? this.stringLiteral(parent) : "DATABASE()";
    const result = await adapter.query(
      `SELECT table_type AS t FROM information_schema.tables WHERE table_schema = ${schema} AND table_name = ${this.stringLiteral(table)}`,
    );
    const row = result.rows[0];
    if (!row) return undefined;
    // Stryker disable next-line StringLiteral: equivalent: unreachable, the query's one column is named t, so row.t is always there
    const type = String(row.t ?? Object.values(row)[0] ?? "");
    return type === "VIEW" ? "VIEW" : "TABLE";
  }
}

export const mysql = new MySqlEngine();
