/**
 * Knobs for opening a connection that are not part of a connection's details
 * (a secret should not decide how long the CLI waits). Every driver gets a
 * bounded connect time, so an unreachable server fails instead of hanging.
 */
export interface OpenOptions {
  /**
   * How long establishing a connection may take, in milliseconds: login,
   * server selection, the first socket. Defaults to `DEFAULT_CONNECT_TIMEOUT_MS`.
   */
  connectTimeoutMs?: number;
  /**
   * How often a failed login is retried by drivers that retry on their own
   * (Snowflake). Defaults to `DEFAULT_CONNECT_RETRIES`; 0 fails on the first error.
   */
  connectRetries?: number;
  /**
   * How long to wait, in milliseconds, for a database file another process
   * holds locked (DuckDB) before failing with `DatabaseLockedError`. Default 0:
   * fail at once.
   */
  lockTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_RETRIES = 2;

export function connectTimeoutMs(options: OpenOptions | undefined): number {
  return options?.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
}

export function connectRetries(options: OpenOptions | undefined): number {
  return options?.connectRetries ?? DEFAULT_CONNECT_RETRIES;
}
