import { readFileSync } from "node:fs";
import type { PoolOptions } from "mysql2/promise";

/**
 * Pure mapping from validated mysql details to a `mysql2` pool configuration,
 * kept apart from the adapter so it can be tested without a server and
 * without loading `mysql2`. Certificate files are read through `readFile`
 * (injectable for tests).
 */

export interface MySQLDetails {
  host: string;
  port: number;
  username: string;
  password?: string;
  database: string;
  ssl_ca_path?: string;
  ssl_cert_path?: string;
  ssl_key_path?: string;
}

export const MYSQL_CONNECT_TIMEOUT_MS = 10_000;
const POOL_SIZE = 10;

export type ReadFile = (path: string) => string | Buffer;

export function mysqlPoolConfig(details: MySQLDetails, readFile: ReadFile = (path) => readFileSync(path)): PoolOptions {
  const config: PoolOptions = {
    host: details.host,
    port: details.port,
    user: details.username,
    ...(details.password === undefined ? {} : { password: details.password }),
    database: details.database,
    connectionLimit: POOL_SIZE,
    connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
    // `exec` sends whole scripts.
    multipleStatements: true,
    // BIGINT as number when safe, else string; DECIMAL as number; DATE as 'YYYY-MM-DD';
    // DATETIME/TIMESTAMP as Date read in UTC, like the other adapters.
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    dateStrings: ["DATE"],
    timezone: "Z",
  };
  const ssl = mysqlSsl(details, readFile);
  if (ssl) config.ssl = ssl;
  return config;
}

function mysqlSsl(details: MySQLDetails, readFile: ReadFile): PoolOptions["ssl"] {
  const files = { ca: details.ssl_ca_path, cert: details.ssl_cert_path, key: details.ssl_key_path };
  if (!files.ca && !files.cert && !files.key) return undefined;
  const ssl: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized: boolean } = {
    // With a CA we can verify the server; without one we still encrypt.
    rejectUnauthorized: Boolean(files.ca),
  };
  for (const [option, path] of Object.entries(files) as [keyof typeof files, string | undefined][]) {
    if (!path) continue;
    try {
      ssl[option] = readFile(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new Error(`cannot read ssl_${option}_path '${path}'${typeof code === "string" ? ` (${code})` : ""}`, {
        cause: error,
      });
    }
  }
  return ssl;
}
