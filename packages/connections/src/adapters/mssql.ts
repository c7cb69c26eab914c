import sql from "mssql";
import { DIALECTS } from "../dialects.js";
import { mssqlConfig, type MSSQLDetails } from "../mssql-config.js";
import type { OpenOptions } from "../open-options.js";
import { plainDate, plainInteger } from "../plain-values.js";
import type { ConnectionAdapter, QueryResult, Row, ValidatedConnection } from "../types.js";
import { GuardedAdapter } from "./guarded.js";

export async function openMSSQL(connection: ValidatedConnection, options?: OpenOptions): Promise<ConnectionAdapter> {
  // Reading the options happens now, so a malformed `options` field fails at open, not at first use.
  const config = mssqlConfig(connection.details as unknown as MSSQLDetails, options);
  return new MSSQLAdapter(connection.name, config);
}

class MSSQLAdapter extends GuardedAdapter<sql.ConnectionPool> implements ConnectionAdapter {
  readonly dialect = DIALECTS.mssql;

  constructor(
    name: string,
    private readonly config: sql.config,
  ) {
    super(name, "mssql");
  }

  protected async connect(): Promise<sql.ConnectionPool> {
    if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
      // tedious 20 calls it; a library does not patch the host's globals, so the application provides it.
      throw new Error(
        "SQL Server connections need Promise.withResolvers (Node 22 or newer; on Node 20 the application installs a polyfill, as the bruin CLI does)",
      );
    }
    const pool = new sql.ConnectionPool(this.config);
    // An idle connection losing its server must not crash the process; the next query reports it.
    pool.on("error", () => undefined);
    try {
      return await pool.connect();
    } catch (error) {
      throw withSocketReasons(error);
    }
  }

  protected disconnect(pool: sql.ConnectionPool): Promise<void> {
    return pool.close();
  }

  /** Requests running now: what `cancel` asks the server to stop (the driver sends TDS's attention signal). */
  readonly #running = new Set<sql.Request>();

  async #tracked<T>(request: sql.Request, run: (request: sql.Request) => Promise<T>): Promise<T> {
    this.#running.add(request);
    try {
      return await run(request);
    } finally {
      this.#running.delete(request);
    }
  }

  async cancel(): Promise<void> {
    for (const request of this.#running) {
      try {
        request.cancel();
      } catch {
        // Already finished: nothing to stop.
      }
    }
  }

  query(text: string): Promise<QueryResult> {
    return this.withSession(async (pool) => {
      const result = await this.#tracked(pool.request(), (request) => request.query(text));
      // A batch with several SELECTs yields one record set each; the last one is the answer.
      const recordsets = result.recordsets as unknown as sql.IRecordSet<Row>[];
      const recordset = recordsets[recordsets.length - 1];
      return recordset ? plainRecordset(recordset) : { columns: [], rows: [] };
    });
  }

  exec(text: string): Promise<void> {
    // A T-SQL batch of several statements runs in one call on one session.
    return this.withSession(async (pool) => {
      await this.#tracked(pool.request(), (request) => request.batch(text));
    });
  }

  transaction(statements: readonly string[]): Promise<void> {
    return this.withSession(async (pool) => {
      const transaction = new sql.Transaction(pool);
      await transaction.begin();
      try {
        for (const statement of statements)
          await this.#tracked(new sql.Request(transaction), (request) => request.batch(statement));
        await transaction.commit();
      } catch (error) {
        // The server may already have rolled back (XACT_ABORT); the statement's error is the one to report.
        await transaction.rollback().catch(() => undefined);
        throw error;
      }
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1 AS ok");
  }
}

/**
 * tedious reports a failed connect as "Could not connect (sequence)" and keeps
 * the reasons (ECONNREFUSED per address) in an AggregateError behind it.
 */
function withSocketReasons(error: unknown): unknown {
  const cause = (error as { originalError?: { cause?: unknown } }).originalError?.cause;
  if (!(error instanceof Error) || !(cause instanceof AggregateError) || cause.errors.length === 0) return error;
  const reasons = [
    ...new Set(cause.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner)))),
  ];
  return new Error(`${error.message}: ${reasons.join("; ")}`, { cause: error });
}

/** tedious gives BIGINT as text and DATE as a Date at UTC midnight; both become the package's plain values. */
function plainRecordset(recordset: sql.IRecordSet<Row>): QueryResult {
  const columns = Object.values(recordset.columns).sort((a, b) => a.index - b.index);
  const bigints = columns.filter((column) => column.type === sql.BigInt).map((column) => column.name);
  const dates = columns.filter((column) => column.type === sql.Date).map((column) => column.name);
  const rows = recordset.map((row) => {
    const plain: Row = { ...row };
    for (const name of bigints) {
      const value = plain[name];
      if (typeof value === "string" || typeof value === "bigint") plain[name] = plainInteger(value);
    }
    for (const name of dates) {
      const value = plain[name];
      if (value instanceof Date) plain[name] = plainDate(value);
    }
    return plain;
  });
  return { columns: columns.map((column) => column.name), rows };
}
