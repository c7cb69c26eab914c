import pg from "pg";
import { DIALECTS } from "../dialects.js";
import { parseInt8, parseNumeric, postgresPoolConfig, type PostgresDetails } from "../postgres-config.js";
import type { ConnectionAdapter, QueryResult, ValidatedConnection } from "../types.js";
import { GuardedAdapter } from "./guarded.js";

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
  return new PostgresAdapter(connection.name, connection.type as "postgres" | "redshift", pool);
}

/** The pool is the session: it exists from the start and connects per query. */
class PostgresAdapter extends GuardedAdapter<pg.Pool> implements ConnectionAdapter {
  readonly dialect;

  constructor(
    name: string,
    type: "postgres" | "redshift",
    private readonly pool: pg.Pool,
  ) {
    super(name, type);
    this.dialect = DIALECTS[type];
  }

  protected async connect(): Promise<pg.Pool> {
    return this.pool;
  }

  protected async disconnect(pool: pg.Pool): Promise<void> {
    await pool.end();
  }

  query(sql: string): Promise<QueryResult> {
    return this.withSession(async (pool) => {
      const results = (await pool.query(sql)) as pg.QueryResult | pg.QueryResult[];
      // A script sent through `query` yields one result per statement; the last one is the answer.
      const result = Array.isArray(results) ? results[results.length - 1] : results;
      if (!result) return { columns: [], rows: [] };
      return { columns: (result.fields ?? []).map((field) => field.name), rows: result.rows ?? [] };
    });
  }

  exec(sql: string): Promise<void> {
    // The simple query protocol runs a whole script on one session.
    return this.withSession(async (pool) => {
      await pool.query(sql);
    });
  }

  transaction(statements: readonly string[]): Promise<void> {
    return this.withSession(async (pool) => {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query("BEGIN");
        for (const statement of statements) await client.query(statement);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError));
        throw error;
      } finally {
        // A client whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }
}
