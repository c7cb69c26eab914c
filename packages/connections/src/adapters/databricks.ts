import { DBSQLClient } from "@databricks/sql";
import { databricksConnectOptions, databricksSessionOptions, type DatabricksDetails } from "../databricks-config.js";
import { DIALECTS } from "../dialects.js";
import type { OpenOptions } from "../open-options.js";
import { plainDate, plainDecimal, plainInteger } from "../plain-values.js";
import { splitStatements } from "../split-statements.js";
import type { ConnectionAdapter, QueryResult, Row, ValidatedConnection } from "../types.js";
import { GuardedAdapter, withDeadline } from "./guarded.js";

/**
 * Opening a session on a stopped SQL warehouse starts it, which takes
 * minutes; without an explicit connect timeout we wait that long, not forever.
 */
export const DATABRICKS_CONNECT_TIMEOUT_MS = 5 * 60_000;

type DBSQLSession = Awaited<ReturnType<DBSQLClient["openSession"]>>;

/** Thrift TTypeId values the conversion cares about. */
const TYPE_ID = { decimal: 15, date: 17 } as const;

/** The driver logs through winston to the console by default; bruin reports failures itself. */
const silentLogger = { log: () => undefined };

interface Connected {
  client: DBSQLClient;
  session: DBSQLSession;
}

export async function openDatabricks(
  connection: ValidatedConnection,
  options?: OpenOptions,
): Promise<ConnectionAdapter> {
  return new DatabricksAdapter(connection.name, connection.details as unknown as DatabricksDetails, options);
}

class DatabricksAdapter extends GuardedAdapter<Connected> implements ConnectionAdapter {
  readonly dialect = DIALECTS.databricks;

  constructor(
    name: string,
    private readonly details: DatabricksDetails,
    private readonly options: OpenOptions | undefined,
  ) {
    super(name, "databricks");
  }

  protected async connect(): Promise<Connected> {
    const client = new DBSQLClient({ logger: silentLogger });
    const timeout = this.options?.connectTimeoutMs ?? DATABRICKS_CONNECT_TIMEOUT_MS;
    try {
      const opening = (async () => {
        await client.connect({
          ...databricksConnectOptions(this.details, this.options),
          // Exact BIGINT (as bigint) and DECIMAL (as text), converted below like the other engines.
          preserveBigNumericPrecision: true,
        });
        return client.openSession(databricksSessionOptions(this.details));
      })();
      const session = await withDeadline(opening, timeout, "could not open a Databricks session");
      return { client, session };
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  protected async disconnect({ client, session }: Connected): Promise<void> {
    try {
      await session.close();
    } finally {
      await client.close();
    }
  }

  query(sql: string): Promise<QueryResult> {
    return this.withSession(({ session }) => run(session, sql));
  }

  exec(sql: string): Promise<void> {
    // Databricks runs one statement per call; string literals there take backslash escapes.
    return this.withSession(async ({ session }) => {
      for (const statement of splitStatements(sql, { backslashEscapes: true })) await run(session, statement);
    });
  }

  /**
   * Databricks has no multi-statement transactions (each statement commits on
   * its own, Delta tables included): the statements run in order on one
   * session and the first failure stops the rest.
   */
  transaction(statements: readonly string[]): Promise<void> {
    return this.withSession(async ({ session }) => {
      for (const statement of statements) await run(session, statement);
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1 AS ok");
  }
}

async function run(session: DBSQLSession, sql: string): Promise<QueryResult> {
  const operation = await session.executeStatement(sql);
  try {
    const schema = await operation.getSchema();
    const described = [...(schema?.columns ?? [])].sort((a, b) => a.position - b.position);
    const columns = described.map((column) => column.columnName);
    const typeOf = new Map(
      described.map((column) => [column.columnName, column.typeDesc.types[0]?.primitiveEntry?.type]),
    );
    const rows = ((await operation.fetchAll()) as Row[]).map((row) => {
      const plain: Row = {};
      for (const [key, value] of Object.entries(row)) plain[key] = plainValue(value, typeOf.get(key));
      return plain;
    });
    return { columns, rows };
  } finally {
    await operation.close().catch(() => undefined);
  }
}

function plainValue(value: unknown, typeId: number | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return plainInteger(value);
  if (typeId === TYPE_ID.decimal && typeof value === "string") return plainDecimal(value);
  if (typeId === TYPE_ID.date && value instanceof Date) return plainDate(value);
  return value;
}
