import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdb } from "./duckdb-module.js";
import { DIALECTS } from "../dialects.js";
import { ConnectionError, DatabaseLockedError } from "../errors.js";
import type { OpenOptions } from "../open-options.js";
import type { ConnectionAdapter, QueryResult, ValidatedConnection } from "../types.js";
import { FileLockedError, acquireInstance, type SharedInstance } from "./duckdb-instances.js";
import { plainValue } from "./duckdb-values.js";
import { currentCancelScope } from "../cancel-scope.js";

export interface DuckDBDetails {
  path: string;
  read_only?: boolean;
}

/** Opens a DuckDB connection on the file's shared instance. */
export async function openDuckDB(connection: ValidatedConnection, options?: OpenOptions): Promise<ConnectionAdapter> {
  const details = connection.details as unknown as DuckDBDetails;
  const fail = (error: unknown) =>
    error instanceof FileLockedError
      ? new DatabaseLockedError(connection.name, "duckdb", error, { cause: error.cause })
      : ConnectionError.wrap(connection.name, "duckdb", error);
  let shared: SharedInstance;
  try {
    shared = await acquireInstance(details.path, details.read_only === true, {
      lockTimeoutMs: options?.lockTimeoutMs ?? 0,
    });
  } catch (error) {
    throw fail(error);
  }
  try {
    const session = await shared.instance.connect();
    return new DuckDBAdapter(connection.name, shared, session);
  } catch (error) {
    shared.release();
    throw fail(error);
  }
}

class DuckDBAdapter implements ConnectionAdapter {
  readonly type = "duckdb" as const;
  readonly dialect = DIALECTS.duckdb;
  #closed = false;

  constructor(
    readonly name: string,
    private readonly shared: SharedInstance,
    private readonly session: DuckDBConnection,
  ) {}

  query(sql: string): Promise<QueryResult> {
    return this.#locked(async () => {
      const reader = await this.session.runAndReadAll(sql);
      // DuckDB answers DDL with an empty `Count` or `Success` column and DML with a `Count` row: no result set, for the caller.
      if (reader.returnType === duckdb.ResultReturnType.CHANGED_ROWS)
        return { columns: [], rows: [], rowsAffected: reader.rowsChanged };
      if (reader.returnType === duckdb.ResultReturnType.NOTHING) return { columns: [], rows: [] };
      return {
        columns: reader.deduplicatedColumnNames(),
        columnTypes: reader.columnTypes().map((type) => type.toString()),
        rows: reader.convertRowObjects(plainValue) as QueryResult["rows"],
      };
    });
  }

  exec(sql: string): Promise<void> {
    // DuckDB runs a whole script in one call.
    return this.#locked(async () => {
      await this.session.run(sql);
    });
  }

  transaction(statements: readonly string[]): Promise<void> {
    return this.#locked(async () => {
      await this.session.run("BEGIN TRANSACTION");
      try {
        for (const statement of statements) await this.session.run(statement);
        await this.session.run("COMMIT");
      } catch (error) {
        await this.session.run("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }

  /** The scope (see inCancelScope) of the statement running now, while one runs. */
  #running: { scope: object | undefined } | undefined;

  async cancel(scope?: object): Promise<void> {
    if (this.#closed) return;
    // Statements run one at a time: the running one is interrupted only when it is in the scope asked for.
    if (scope !== undefined && this.#running?.scope !== scope) return;
    try {
      this.session.interrupt();
    } catch {
      // Nothing running, or the connection is gone: nothing to stop.
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Wait for statements already queued on this file, then let go of it.
    await this.shared.mutex.run(async () => {
      try {
        this.session.closeSync();
      } finally {
        this.shared.release();
      }
    });
  }

  async #locked<T>(task: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new ConnectionError(this.name, this.type, "the connection is closed");
    const scope = currentCancelScope();
    try {
      return await this.shared.mutex.run(async () => {
        this.#running = { scope };
        try {
          return await task();
        } finally {
          this.#running = undefined;
        }
      });
    } catch (error) {
      throw ConnectionError.wrap(this.name, this.type, error);
    }
  }
}
