import mysql from "mysql2/promise";
import { DIALECTS } from "../dialects.js";
import { ConnectionError } from "../errors.js";
import { mysqlPoolConfig, type MySQLDetails } from "../mysql-config.js";
import type { ConnectionAdapter, QueryResult, Row, ValidatedConnection } from "../types.js";
import { GuardedAdapter } from "./guarded.js";

export async function openMySQL(connection: ValidatedConnection): Promise<ConnectionAdapter> {
  const details = connection.details as unknown as MySQLDetails;
  let pool: mysql.Pool;
  try {
    pool = mysql.createPool(mysqlPoolConfig(details));
  } catch (error) {
    throw ConnectionError.wrap(connection.name, "mysql", error);
  }
  // An idle connection losing its server must not crash the process; the next query reports it.
  pool.pool.on("error", () => undefined);
  return new MySQLAdapter(connection.name, pool);
}

/** The pool is the session: it exists from the start and connects per query. */
class MySQLAdapter extends GuardedAdapter<mysql.Pool> implements ConnectionAdapter {
  readonly dialect = DIALECTS.mysql;

  constructor(
    name: string,
    private readonly pool: mysql.Pool,
  ) {
    super(name, "mysql");
  }

  protected async connect(): Promise<mysql.Pool> {
    return this.pool;
  }

  protected async disconnect(pool: mysql.Pool): Promise<void> {
    await pool.end();
  }

  query(sql: string): Promise<QueryResult> {
    return this.withSession(async (pool) => {
      const [rows, fields] = await pool.query({ sql });
      // Statements without a result set (INSERT, DDL) answer with a header, not rows.
      if (!Array.isArray(rows) || !Array.isArray(fields)) return { columns: [], rows: [] };
      return { columns: (fields as mysql.FieldPacket[]).map((field) => field.name), rows: rows as Row[] };
    });
  }

  exec(sql: string): Promise<void> {
    // The pool is opened with multipleStatements, so a script runs in one call on one session.
    return this.withSession(async (pool) => {
      await pool.query(sql);
    });
  }

  transaction(statements: readonly string[]): Promise<void> {
    // MySQL commits DDL implicitly: only the data statements between DDL roll back.
    return this.withSession(async (pool) => {
      const session = await pool.getConnection();
      let destroyed = false;
      try {
        await session.query("START TRANSACTION");
        for (const statement of statements) await session.query(statement);
        await session.query("COMMIT");
      } catch (error) {
        await session.query("ROLLBACK").catch(() => {
          // A session whose ROLLBACK failed is in an unknown state: drop it rather than reuse it.
          destroyed = true;
          session.destroy();
        });
        throw error;
      } finally {
        if (!destroyed) session.release();
      }
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }
}
