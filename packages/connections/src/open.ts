import { connectionEngine } from "./engines/index.js";
import { isMissingPackage } from "./drivers.js";
import { MissingDriverError, UnsupportedConnectionTypeError } from "./errors.js";
import type { OpenOptions } from "./open-options.js";
import type { ConnectionAdapter, ValidatedConnection } from "./types.js";

/**
 * Opens a driver adapter for a validated connection. Each driver is loaded
 * with `import()` the first time a connection of its type is opened, so a run
 * that only uses DuckDB loads none of the others (and the other way round).
 * Opening does not talk to the server: the first statement (or `ping`) does,
 * within `options.connectTimeoutMs`. A driver that is not installed (they are
 * optional peer dependencies) fails with a MissingDriverError naming the npm
 * package to add.
 */
export async function openConnection(
  connection: ValidatedConnection,
  options?: OpenOptions,
): Promise<ConnectionAdapter> {
  const engine = connectionEngine(connection.type);
  if (!engine) throw new UnsupportedConnectionTypeError(connection.name, connection.type);
  try {
    return await engine.open(connection, options);
  } catch (error) {
    if (engine.driver !== undefined && isMissingPackage(error, engine.driver)) {
      throw new MissingDriverError(connection.name, connection.type, engine.driver, { cause: error });
    }
    throw error;
  }
}

/** Whether a connection of this type holds one plain value for assets to read (`generic`), not a database's details. */
export function holdsPlainValue(type: string): boolean {
  return connectionEngine(type)?.plainValue === true;
}

/** Whether a connection of this type holds its database file exclusively (an embedded engine such as DuckDB). */
export function locksDatabaseFile(type: string): boolean {
  return connectionEngine(type)?.locksFile === true;
}
