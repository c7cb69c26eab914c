import { EXIT_CODES } from "@bruin-ts/secrets-core";
import type { ConnectionType } from "./types.js";

/**
 * A failure while opening or using a connection. The driver's message is kept
 * (the CLI redacts everything it prints); we never add a credential to it.
 */
export class ConnectionError extends Error {
  readonly connection: string;
  readonly type: ConnectionType;

  constructor(connection: string, type: ConnectionType, detail: string, options?: { cause?: unknown }) {
    super(`connection '${connection}' (${type}): ${detail}`, options);
    this.name = "ConnectionError";
    this.connection = connection;
    this.type = type;
  }

  /** Wraps whatever a driver threw; a ConnectionError passes through unchanged. */
  static wrap(connection: string, type: ConnectionType, error: unknown): ConnectionError {
    if (error instanceof ConnectionError) return error;
    return new ConnectionError(connection, type, driverMessage(error), { cause: error });
  }
}

/**
 * A database file another process holds locked (DuckDB allows one writing
 * process per file). `holder` is the process as the engine names it, e.g.
 * `/usr/bin/node (PID 4242)`, when it says.
 */
export class DatabaseLockedError extends ConnectionError {
  readonly path: string;
  readonly holder: string | undefined;
  readonly pid: number | undefined;

  constructor(
    connection: string,
    type: ConnectionType,
    lock: { path: string; holder?: string | undefined; pid?: number | undefined; waitedMs?: number | undefined },
    options?: { cause?: unknown },
  ) {
    const by = lock.holder ? `another process, ${lock.holder}` : "another process";
    const waited = lock.waitedMs ? ` (waited ${formatSeconds(lock.waitedMs)})` : "";
    super(connection, type, `the database file ${lock.path} is locked by ${by}${waited}`, options);
    this.name = "DatabaseLockedError";
    this.path = lock.path;
    this.holder = lock.holder;
    this.pid = lock.pid;
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}

/** Opening a connection of a type that has no driver adapter (yet, or at all: `generic`). */
export class UnsupportedConnectionTypeError extends ConnectionError {
  constructor(connection: string, type: ConnectionType, reason?: string) {
    super(connection, type, reason ?? "not supported");
    this.name = "UnsupportedConnectionTypeError";
    this.message = reason
      ? `connection '${connection}' (${type}): ${reason}`
      : `connection '${connection}': running queries on type '${type}' is not supported yet`;
  }
}

/**
 * A connection of a type whose driver package is not installed. The drivers
 * are optional peer dependencies of this package: an application installs the
 * ones of the types it uses. A configuration problem, so `exitCode` is
 * `EXIT_CODES.usage` (2).
 */
export class MissingDriverError extends ConnectionError {
  /** The npm package to add, e.g. `snowflake-sdk`. */
  readonly driver: string;
  readonly exitCode = EXIT_CODES.usage;

  constructor(connection: string, type: ConnectionType, driver: string, options?: { cause?: unknown }) {
    super(
      connection,
      type,
      `the ${type} driver is not installed: add the npm package '${driver}' next to @bruin-ts/connections (npm install ${driver})`,
      options,
    );
    this.name = "MissingDriverError";
    this.driver = driver;
  }
}

function driverMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node reports a refused dual-stack connect as an AggregateError with an empty message.
    const inner = error.errors.map((e: unknown) => driverMessage(e));
    return error.message ? `${error.message}: ${inner.join("; ")}` : [...new Set(inner)].join("; ");
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.replace(/\s*\n\s*/g, " ").trim();
    if (message) return message;
    return typeof code === "string" ? code : error.name;
  }
  return String(error);
}
