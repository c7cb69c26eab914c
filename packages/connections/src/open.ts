import { connectionEngine } from "./engines/index.js";
import { UnsupportedConnectionTypeError } from "./errors.js";
import type { OpenOptions } from "./open-options.js";
import type { ConnectionAdapter, ValidatedConnection } from "./types.js";

/**
 * Opens a driver adapter for a validated connection. Each driver is loaded
 * with `import()` the first time a connection of its type is opened, so a run
 * that only uses DuckDB loads none of the others (and the other way round).
 * Opening does not talk to the server: the first statement (or `ping`) does,
 * within `options.connectTimeoutMs`.
 */
export async function openConnection(connection: ValidatedConnection, options?: OpenOptions): Promise<ConnectionAdapter> {
  const engine = connectionEngine(connection.type);
  if (!engine) throw new UnsupportedConnectionTypeError(connection.name, connection.type);
  return engine.open(connection, options);
}

/** Whether a connection of this type holds its database file exclusively (an embedded engine such as DuckDB). */
export function locksDatabaseFile(type: string): boolean {
  return connectionEngine(type)?.locksFile === true;
}
