import mysql from "mysql2/promise";
import { DIALECTS } from "../dialects.js";
import { ConnectionError } from "../errors.js";
import { mysqlPoolConfig, type MySQLDetails } from "../mysql-config.js";
import type { ConnectionAdapter, QueryResult, Row, ValidatedConnection } from "../types.js";
import { GuardedAdapter } from "./guarded.js";
import { currentCancelScope } from "../cancel-scope.js";

/** The name mysql2 gives a column type code (`LONG`, `VAR_STRING`, …). */
function mysqlTypeName(code: number | undefined): string {
  const name = code === undefined ? undefined : (mysql.Types as unknown as Record<number, string | undefined>)[code];
  return name ?? "UNKNOWN";
}

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
  return new MySQLAdapter(connection.name, pool, () =>
    mysql.createConnection({ ...mysqlPoolConfig(details), multipleStatements: false }),
  );
}

/** The pool is the session: it exists from the start and connects per query. */
class MySQLAdapter extends GuardedAdapter<mysql.Pool> implements ConnectionAdapter {
  readonly dialect = DIALECTS.mysql;

  constructor(
    name: string,
    private readonly pool: mysql.Pool,
    private readonly openSeparateSession: () => Promise<mysql.Connection>,
  ) {
    super(name, "mysql");
  }

  /** Thread ids of the sessions running a statement now: what `cancel` asks the server to stop. */
  readonly #busy = new Map<number, object | undefined>();

  /** Runs `task` on a session of the pool, known to `cancel` while it runs. */
  async #onSession<T>(pool: mysql.Pool, task: (session: mysql.PoolConnection) => Promise<T>): Promise<T> {
    const session = await pool.getConnection();
    const thread = session.threadId;
    this.#busy.set(thread, currentCancelScope());
    try {
      return await task(session);
    } finally {
      this.#busy.delete(thread);
      session.release();
    }
  }

  async cancel(scope?: object): Promise<void> {
    const threads = [...this.#busy].filter(([, of]) => scope === undefined || of === scope).map(([thread]) => thread);
    if (threads.length === 0) return;
    // KILL QUERY stops the statement and keeps its session; it needs a session of its own.
    const killer = await this.openSeparateSession().catch(() => undefined);
    if (!killer) return;
    try {
      await Promise.all(threads.map((thread) => killer.query(`KILL QUERY ${Number(thread)}`).catch(() => undefined)));
    } finally {
      killer.destroy();
    }
  }

  protected async connect(): Promise<mysql.Pool> {
    return this.pool;
  }

  protected async disconnect(pool: mysql.Pool): Promise<void> {
    await pool.end();
  }

  query(sql: string): Promise<QueryResult> {
    return this.withSession(async (pool) => {
      const [rows, fields] = await this.#onSession(pool, (session) => session.query({ sql }));
      // Statements without a result set (INSERT, DDL) answer with a header, not rows.
      if (!Array.isArray(rows) || !Array.isArray(fields)) {
        const affected = (rows as { affectedRows?: unknown } | undefined)?.affectedRows;
        return { columns: [], rows: [], ...(typeof affected === "number" ? { rowsAffected: affected } : {}) };
      }
      const packets = fields as mysql.FieldPacket[];
      return {
        columns: packets.map((field) => field.name),
        columnTypes: packets.map((field) => mysqlTypeName(field.type)),
        rows: rows as Row[],
      };
    });
  }

  exec(sql: string): Promise<void> {
    // The pool is opened with multipleStatements, so a script runs in one call on one session.
    return this.withSession(async (pool) => {
      await this.#onSession(pool, (session) => session.query(sql));
    });
  }

  transaction(statements: readonly string[]): Promise<void> {
    // MySQL commits DDL implicitly: only the data statements between DDL roll back.
    return this.withSession(async (pool) => {
      const session = await pool.getConnection();
      const thread = session.threadId;
      this.#busy.set(thread, currentCancelScope());
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
        this.#busy.delete(thread);
        if (!destroyed) session.release();
      }
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }
}
