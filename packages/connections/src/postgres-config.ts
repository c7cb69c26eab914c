import type { PoolConfig } from "pg";

/**
 * Pure mapping from validated postgres/redshift details to a `pg` Pool
 * configuration, kept apart from the adapter so it can be tested without a
 * server and without loading `pg`.
 */

export interface PostgresDetails {
  host: string;
  port: number;
  username: string;
  password?: string;
  database: string;
  schema?: string;
  ssl_mode?: string;
  pool_max_conns?: number;
}

export const CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_POOL_SIZE = 10;

/**
 * ssl_mode → pg's `ssl`:
 * - absent, `disable`, `allow` → no TLS (`allow` prefers plain connections, and pg cannot fall back);
 * - `prefer`, `require` → TLS without certificate verification (pg cannot fall back to plain
 *   text, so `prefer` behaves like `require`);
 * - `verify-ca` → TLS, certificate chain verified, host name not checked;
 * - `verify-full` → TLS, certificate and host name verified.
 */
export function postgresSsl(sslMode: string | undefined): PoolConfig["ssl"] {
  switch (sslMode) {
    case "prefer":
    case "require":
      return { rejectUnauthorized: false };
    case "verify-ca":
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case "verify-full":
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}

export function postgresPoolConfig(details: PostgresDetails, options: { redshift?: boolean } = {}): PoolConfig {
  const config: PoolConfig = {
    host: details.host,
    port: details.port,
    user: details.username,
    password: details.password,
    database: details.database,
    max: details.pool_max_conns ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "bruin",
    ssl: postgresSsl(details.ssl_mode),
  };
  // Redshift refuses the `options` startup parameter; its adapter sets search_path per session instead.
  if (details.schema && !options.redshift) config.options = `-c search_path=${escapeOption(details.schema)}`;
  return config;
}

/** The startup `options` string splits on spaces; a backslash keeps one inside a value. */
function escapeOption(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/ /g, "\\ ");
}

/** int8 → number when it is a safe integer, else the exact decimal text. */
export function parseInt8(text: string): number | string {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : text;
}

/** numeric → number when a double holds it exactly enough (15 significant digits), else the text. */
export function parseNumeric(text: string): number | string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  const digits = text.replace(/^[-+]/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return digits.length <= 15 ? value : text;
}
