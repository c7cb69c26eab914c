import {
  BigQuery,
  BigQueryDate,
  BigQueryDatetime,
  BigQueryTime,
  BigQueryTimestamp,
  Geography,
} from "@google-cloud/bigquery";
import { bigQueryOptions, type BigQueryDetails } from "../bigquery-config.js";
import { DIALECTS } from "../dialects.js";
import { plainDecimal, plainInteger } from "../plain-values.js";
import type { ConnectionAdapter, QueryResult, Row, ValidatedConnection } from "../types.js";
import { GuardedAdapter } from "./guarded.js";

export async function openBigQuery(connection: ValidatedConnection): Promise<ConnectionAdapter> {
  return new BigQueryAdapter(connection.name, connection.details as unknown as BigQueryDetails);
}

/** BigQuery is an HTTP API: there is no session to hold, each statement is a query job. */
class BigQueryAdapter extends GuardedAdapter<BigQuery> implements ConnectionAdapter {
  readonly dialect = DIALECTS.bigquery;

  constructor(
    name: string,
    private readonly details: BigQueryDetails,
  ) {
    super(name, "google_cloud_platform");
  }

  protected async connect(): Promise<BigQuery> {
    return new BigQuery(bigQueryOptions(this.details));
  }

  protected async disconnect(): Promise<void> {}

  query(sql: string): Promise<QueryResult> {
    return this.withSession((client) => runJob(client, sql, this.details.location));
  }

  exec(sql: string): Promise<void> {
    // A multi-statement script runs as one query job.
    return this.withSession(async (client) => {
      await runJob(client, sql, this.details.location);
    });
  }

  /**
   * BigQuery transactions cannot hold DDL on ordinary tables, so the
   * statements run in order, one job each, and the first failure stops the rest.
   */
  transaction(statements: readonly string[]): Promise<void> {
    return this.withSession(async (client) => {
      for (const statement of statements) await runJob(client, statement, this.details.location);
    });
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1 AS ok");
  }
}

async function runJob(client: BigQuery, query: string, location: string | undefined): Promise<QueryResult> {
  const [job] = await client.createQueryJob({ query, useLegacySql: false, ...(location ? { location } : {}) });
  const [rows, , response] = await job.getQueryResults({
    // INT64 arrives as text; numbers when safe, else the exact decimal text, like the other engines.
    wrapIntegers: { integerTypeCastFunction: (value: string) => plainInteger(value) },
  });
  const columns = (response?.schema?.fields ?? []).map((field) => field.name ?? "");
  return { columns, rows: rows.map((row) => plainBigQuery(row) as Row) };
}

/**
 * BigQuery's wrapper objects → plain JS: DATE and TIME as their text,
 * TIMESTAMP as a Date, DATETIME (no zone) as a Date read in UTC, NUMERIC as a
 * number when 15 digits hold it (else text), GEOGRAPHY as its WKT text.
 */
export function plainBigQuery(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== "object") return value;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (value instanceof BigQueryTimestamp) return new Date(value.value);
  if (value instanceof BigQueryDatetime) return new Date(`${value.value.replace(" ", "T")}Z`);
  if (value instanceof BigQueryDate || value instanceof BigQueryTime || value instanceof Geography) return value.value;
  if (Array.isArray(value)) return value.map(plainBigQuery);
  if (isBigNumber(value)) return plainDecimal(value.toString());
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) plain[key] = plainBigQuery(item);
  return plain;
}

/** NUMERIC / BIGNUMERIC come back as big.js numbers: `{ s, e, c: digits[] }`. */
function isBigNumber(value: object): value is { toString(): string } {
  const big = value as { s?: unknown; e?: unknown; c?: unknown };
  return typeof big.s === "number" && typeof big.e === "number" && Array.isArray(big.c);
}
