import type { Column, Connection, RowStatement } from "snowflake-sdk";
import { DIALECTS } from "../dialects.js";
import { connectTimeoutMs, type OpenOptions } from "../open-options.js";
import { plainDate, plainInteger } from "../plain-values.js";
import { snowflakeConnectionOptions, type SnowflakeDetails } from "../snowflake-config.js";
import type { ConnectionAdapter, QueryResult, Row, ValidatedConnection } from "../types.js";
import { GuardedAdapter, withDeadline } from "./guarded.js";

type SnowflakeSdk = typeof import("snowflake-sdk");

let loading: Promise<SnowflakeSdk> | undefined;

/**
 * snowflake-sdk is imported here, on first use, rather than at the top of
 * the module, so opening this module costs nothing until a Snowflake
 * connection is used. (Its bundled AWS SDK warns on Node < 22 while it loads;
 * the bruin CLI turns that notice off for its own process, a library leaves
 * the choice to its host: `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED`.)
 */
function loadSnowflake(): Promise<SnowflakeSdk> {
  loading ??= (async () => {
    const module = (await import("snowflake-sdk")) as SnowflakeSdk & { default?: SnowflakeSdk };
    const sdk = module.default ?? module;
    // The driver's own log lines would go to the console; failures reach the user as ConnectionErrors.
    sdk.configure({ logLevel: "OFF" });
    return sdk;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

export async function openSnowflake(
  connection: ValidatedConnection,
  options?: OpenOptions,
): Promise<ConnectionAdapter> {
  const sdk = await loadSnowflake();
  return new SnowflakeAdapter(connection.name, sdk, connection.details as unknown as SnowflakeDetails, options);
}

class SnowflakeAdapter extends GuardedAdapter<Connection> implements ConnectionAdapter {
  readonly dialect = DIALECTS.snowflake;

  constructor(
    name: string,
    private readonly sdk: SnowflakeSdk,
    private readonly details: SnowflakeDetails,
    private readonly options: OpenOptions | undefined,
  ) {
    super(name, "snowflake");
  }

  protected async connect(): Promise<Connection> {
    const connection = this.sdk.createConnection(snowflakeConnectionOptions(this.details, this.options));
    const timeout = connectTimeoutMs(this.options);
    // connectAsync() resolves even when the login fails; only the callback reports the error.
    const login = new Promise<void>((resolve, reject) =>
      connection.connect((error) => (error ? reject(error) : resolve())),
    );
    await withDeadline(login, timeout, "could not log in to Snowflake", () => {
      connection.destroy(() => undefined);
    });
    return connection;
  }

  protected disconnect(connection: Connection): Promise<void> {
    // A session the server already ended (expired, dropped network) is as closed as we need it.
    if (!connection.isUp()) return Promise.resolve();
    return new Promise((resolve, reject) => connection.destroy((error) => (error ? reject(error) : resolve())));
  }

  query(sql: string): Promise<QueryResult> {
    return this.withSession((connection) => execute(connection, sql));
  }

  exec(sql: string): Promise<void> {
    // MULTI_STATEMENT_COUNT 0 lets one call run a whole script.
    return this.withSession(async (connection) => {
      await execute(connection, sql, { MULTI_STATEMENT_COUNT: 0 });
    });
  }

  /** DDL commits implicitly on Snowflake, so only the data statements between DDL roll back. */
  transaction(statements: readonly string[]): Promise<void> {
    return this.withSession(async (connection) => {
      await execute(connection, "BEGIN");
      try {
        for (const statement of statements) await execute(connection, statement);
        await execute(connection, "COMMIT");
      } catch (error) {
        await execute(connection, "ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1 AS ok");
  }
}

function execute(connection: Connection, sqlText: string, parameters?: Record<string, unknown>): Promise<QueryResult> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      ...(parameters ? { parameters } : {}),
      complete: (error, statement, rows) => {
        if (error) return reject(error);
        resolve(plainResult((statement as RowStatement).getColumns() ?? [], (rows ?? []) as Row[]));
      },
    });
  });
}

/** INTEGER arrives as bigint, DATE as a Date at UTC midnight, TIMESTAMPs as the driver's Date subclass. */
function plainResult(columns: Column[], rows: Row[]): QueryResult {
  const typeOf = new Map(columns.map((column) => [column.getName(), column.getType()]));
  const plainRows = rows.map((row) => {
    const plain: Row = {};
    for (const [key, value] of Object.entries(row)) plain[key] = plainValue(value, typeOf.get(key));
    return plain;
  });
  return { columns: columns.map((column) => column.getName()), rows: plainRows };
}

function plainValue(value: unknown, type: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return plainInteger(value);
  if (value instanceof Date) return type === "date" ? plainDate(value) : new Date(value.getTime());
  if (type === "time") return String(value);
  return value;
}
