import type { ConnectionOptions } from "snowflake-sdk";
import { connectRetries, type OpenOptions } from "./open-options.js";

/**
 * Pure mapping from validated snowflake details to `snowflake-sdk`
 * connection options, testable without an account and without loading the
 * driver (whose import is slow and pulls in the AWS SDK).
 */

export interface SnowflakeDetails {
  account: string;
  username: string;
  password?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  region?: string;
  /** PEM text of an unencrypted PKCS#8 key (key-pair authentication). */
  private_key?: string;
  /** A file holding that PEM key. */
  private_key_path?: string;
  /** Optional extra: a host to reach instead of `<account>.snowflakecomputing.com` (PrivateLink, proxies). */
  host?: string;
  /** Optional extra: the port on `host`. */
  port?: number | string;
}

export type SnowflakeConnectionOptions = ConnectionOptions & { sfRetryMaxLoginRetries?: number; port?: number };

/**
 * Authentication, first match wins: `private_key` (PEM text) or
 * `private_key_path` (a file) → key-pair (`SNOWFLAKE_JWT`); else `password`.
 * Warehouse, role, database and schema become the session's defaults.
 */
export function snowflakeConnectionOptions(
  details: SnowflakeDetails,
  options?: OpenOptions,
): SnowflakeConnectionOptions {
  const result: SnowflakeConnectionOptions = {
    account: details.account,
    username: details.username,
    // Integers come back exact (bigint) and are turned into numbers or text by the adapter.
    jsTreatIntegerAsBigInt: true,
    // The driver retries a failed login with growing pauses for up to 5 minutes by default.
    sfRetryMaxLoginRetries: connectRetries(options),
  };
  if (details.private_key) {
    result.authenticator = "SNOWFLAKE_JWT";
    result.privateKey = pemText(details.private_key);
  } else if (details.private_key_path) {
    result.authenticator = "SNOWFLAKE_JWT";
    result.privateKeyPath = details.private_key_path;
  } else if (details.password !== undefined) {
    result.password = details.password;
  }
  for (const field of ["warehouse", "role", "database", "schema", "region"] as const) {
    if (details[field]) result[field] = details[field];
  }
  if (typeof details.host === "string" && details.host) {
    result.host = details.host;
    if (details.port !== undefined && details.port !== "") result.port = Number(details.port);
  }
  return result;
}

/**
 * A PEM key kept in a one-line secret (an environment variable, a JSON
 * value) often has its line breaks written as `\n`; the driver needs real ones.
 */
export function pemText(key: string): string {
  const text = key.includes("\n") ? key : key.replace(/(?:\\r)?\\n/g, "\n");
  return text.trim();
}
