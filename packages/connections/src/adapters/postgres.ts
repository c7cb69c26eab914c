import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { DIALECTS } from "../dialects.js";
import { parseInt8, parseNumeric, postgresPoolConfig, type PostgresDetails } from "../postgres-config.js";
import type { ConnectionAdapter, QueryResult, ValidatedConnection } from "../types.js";
import { currentCancelScope } from "../cancel-scope.js";
import { GuardedAdapter } from "./guarded.js";

/** PostgreSQL's built-in type names by OID (`INT4`, `TEXT`, …), for the types of a result's columns. */
const PG_TYPE_NAMES = new Map<number, string>(
  Object.entries(pg.types.builtins).map(([name, oid]) => [oid as number, name]),
);

const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

/**
 * Type parsers for this adapter's pool only (pg's global parsers stay as
 * they are): int8 and numeric become numbers when safe, dates stay 'YYYY-MM-DD'
 * strings instead of local-midnight Dates.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format !== "binary") {
      if (oid === OID.int8) return parseInt8;
      if (oid === OID.numeric) return parseNumeric;
      if (oid === OID.date) return (text: string) => text;
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export async function openPostgres(connection: ValidatedConnection): Promise<ConnectionAdapter> {
  const details = connection.details as unknown as PostgresDetails;
  const redshift = connection.type === "redshift";
  const pool = new pg.Pool({ ...postgresPoolConfig(details, { redshift }), types: typeParsers });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  if (redshift && details.schema) {
    const schema = DIALECTS.redshift.quoteIdentifier(details.schema);
    pool.on("connect", (client) => {
      client.query(`SET search_path TO ${schema}`).catch(() => undefined);
    });
  }
  const server = { host: details.host, port: details.port };
  return new PostgresAdapter(connection.name, connection.type as "postgres" | "redshift", pool, server);
}

/** What pg knows of a session that a cancel request needs (public on the client, not in its types). */
interface CancelKeys {
  processID: number | null;
  secretKey: number | null;
}

/** pg's protocol connection, with the cancel request its type declarations leave out. */
type CancellingConnection = pg.Connection & {
  connect(port: number, host: string): void;
  cancel(processID: number, secretKey: number): void;
};

/**
 * Sends PostgreSQL's cancel request for one session over a connection of its
 * own (as libpq's PQcancel does: a cancel request needs no login). Resolves
 * when the server has closed that connection, or on any failure.
 */
function sendCancel(server: { host: string; port: number }, keys: CancelKeys): Promise<void> {
  const { processID, secretKey } = keys;
  if (processID === null || secretKey === null) return Promise.resolve();
  return new Promise((resolve) => {
    const connection = new pg.Connection() as CancellingConnection;
    const done = () => {
      connection.stream.destroy();
      resolve();
    };
    connection.on("error", done);
    connection.on("end", done);
    connection.on("connect", () => connection.cancel(processID, secretKey));
    connection.connect(server.port, server.host);
  });
}

/** The pool is the session: it exists from the start and connects per query. */
class PostgresAdapter extends GuardedAdapter<pg.Pool> implements ConnectionAdapter {
  readonly dialect;

  constructor(
    name: string,
    type: "postgres" | "redshift",
    private readonly pool: pg.Pool,
    private readonly server: { host: string; port: number },
  ) {
    super(name, type);
    this.dialect = DIALECTS[type];
    if (type === "postgres") this.copyFrom = (statement, data) => this.#copy(statement, data);
  }

  readonly copyFrom?: (statement: string, data: AsyncIterable<string>) => Promise<number>;

  /** COPY … FROM STDIN through pg-copy-streams; an error of `data` itself leaves unwrapped. */
  async #copy(statement: string, data: AsyncIterable<string>): Promise<number> {
    let sourceError: { error: unknown } | undefined;
    async function* source(): AsyncGenerator<string> {
      try {
        yield* data;
      } catch (error) {
        sourceError = { error };
        throw error;
      }
    }
    try {
      return await this.withSession((pool) =>
        this.#onClient(pool, async (client) => {
          const copy = client.query(copyFromStdin(statement));
          await pipeline(Readable.from(source()), copy);
          return copy.rowCount;
        }),
      );
    } catch (error) {
      if (sourceError) throw sourceError.error;
      throw error;
    }
  }

  /** Clients running a statement now: what `cancel` asks the server to stop. */
  readonly #busy = new Map<pg.PoolClient, object | undefined>();

  /**
   * Runs `task` on a client of the pool, known to `cancel` while it runs. As
   * with `pool.query`, a client whose statement failed leaves the pool, unless
   * `task` settles it itself (a transaction that rolled back cleanly).
   */
  async #onClient<T>(
    pool: pg.Pool,
    task: (client: pg.PoolClient, settle: (broken?: Error) => void) => Promise<T>,
  ): Promise<T> {
    const client = await pool.connect();
    this.#busy.set(client, currentCancelScope());
    let outcome: { broken?: Error } | undefined;
    const settle = (broken?: Error) => {
      outcome = broken ? { broken } : {};
    };
    try {
      return await task(client, settle);
    } catch (error) {
      outcome ??= { broken: error instanceof Error ? error : new Error(String(error)) };
      throw error;
    } finally {
      this.#busy.delete(client);
      client.release(outcome?.broken);
    }
  }

  async cancel(scope?: object): Promise<void> {
    const clients = [...this.#busy].filter(([, of]) => scope === undefined || of === scope).map(([client]) => client);
    await Promise.all(clients.map((client) => sendCancel(this.server, client as unknown as CancelKeys)));
  }

  protected async connect(): Promise<pg.Pool> {
    return this.pool;
  }

  protected async disconnect(pool: pg.Pool): Promise<void> {
    await pool.end();
  }

  query(sql: string): Promise<QueryResult> {
    return this.withSession(async (pool) => {
      const results = (await this.#onClient(pool, (client) => client.query(sql))) as pg.QueryResult | pg.QueryResult[];
      // A script sent through `query` yields one result per statement; the last one is the answer.
      const result = Array.isArray(results) ? results[results.length - 1] : results;
      if (!result) return { columns: [], rows: [] };
      const columns = (result.fields ?? []).map((field) => field.name);
      // INSERT, UPDATE, DELETE and the like return no columns; rowCount is how many rows they changed.
      if (columns.length === 0)
        return { columns, rows: [], ...(typeof result.rowCount === "number" ? { rowsAffected: result.rowCount } : {}) };
      const columnTypes = (result.fields ?? []).map((field) => PG_TYPE_NAMES.get(field.dataTypeID) ?? "UNKNOWN");
      return { columns, columnTypes, rows: result.rows ?? [] };
    });
  }

  exec(sql: string): Promise<void> {
    // The simple query protocol runs a whole script on one session.
    return this.withSession(async (pool) => {
      await this.#onClient(pool, (client) => client.query(sql));
    });
  }

  transaction(statements: readonly string[]): Promise<void> {
    return this.withSession((pool) =>
      this.#onClient(pool, async (client, settle) => {
        try {
          await client.query("BEGIN");
          for (const statement of statements) await client.query(statement);
          await client.query("COMMIT");
        } catch (error) {
          // A client whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
          await client.query("ROLLBACK").then(
            () => settle(),
            (rollbackError: unknown) =>
              settle(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))),
          );
          throw error;
        }
      }),
    );
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }
}
