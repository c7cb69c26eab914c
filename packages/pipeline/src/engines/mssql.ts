import { DIALECTS, type ConnectionAdapter } from "@bruin-ts/connections";
import { siblingName, splitName } from "../names.js";
import { AnsiEngine, ANSI_CHECKS } from "./ansi.js";
import { REPLACE_ONLY } from "./lists.js";

/** SQL Server: bracket quoting, no regular expressions, CREATE OR ALTER VIEW, SELECT INTO then sp_rename. */
export class SqlServerEngine extends AnsiEngine {
  override readonly assetTypes = ["ms.sql"];
  override readonly defaultConnection = "mssql-default";
  override readonly textType = "NVARCHAR(MAX)";

  constructor() {
    super(DIALECTS.mssql, { scripts: true, strategies: REPLACE_ONLY, checks: ANSI_CHECKS });
  }

  override checkNotSupported(check: string): string {
    if (check === "pattern")
      return "the 'pattern' check is not supported on SQL Server (mssql), which has no regular expressions";
    return super.checkNotSupported(check);
  }

  /** No CREATE SCHEMA IF NOT EXISTS, and CREATE SCHEMA must be alone in its batch. */
  override createParentStatement(parent: string): string | undefined {
    if (parent.includes(".")) return undefined;
    const create = `CREATE SCHEMA ${this.quoteIdent(parent)}`;
    return `IF SCHEMA_ID(${this.stringLiteral(parent)}) IS NULL EXEC(${this.stringLiteral(create)})`;
  }

  override createViewStatement(name: string, query: string): string {
    return `CREATE OR ALTER VIEW ${this.quoteTable(name)} AS\n${query}`;
  }

  /**
   * SELECT ... INTO a new table (the slow part, outside any transaction),
   * then drop the old table and sp_rename the new one in one transaction
   * (SQL Server's DDL is transactional). The query is wrapped as a derived
   * table, so it cannot start with WITH or end with ORDER BY there.
   */
  protected override async swapTable(adapter: ConnectionAdapter, name: string, query: string): Promise<void> {
    const q = (n: string) => this.quoteTable(n);
    const tmp = siblingName(name, "__bruin_tmp_");
    try {
      await adapter.exec(`SELECT * INTO ${q(tmp)} FROM (\n${query}\n) AS __bruin_source`);
      await adapter.transaction([
        `DROP TABLE IF EXISTS ${q(name)}`,
        `EXEC sp_rename ${this.stringLiteral(q(tmp))}, ${this.stringLiteral(splitName(name).table)}`,
      ]);
    } catch (error) {
      await adapter.exec(`DROP TABLE IF EXISTS ${q(tmp)}`).catch(() => undefined);
      throw error;
    }
  }
}

export const mssql = new SqlServerEngine();
