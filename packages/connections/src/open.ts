import { UnsupportedConnectionTypeError } from "./errors.js";
import type { ConnectionAdapter, ValidatedConnection } from "./types.js";

/**
 * Opens a driver adapter for a validated connection. Each driver is loaded
 * with `import()` the first time a connection of its type is opened, so a run
 * that only uses DuckDB never loads pg or mysql2 (and the other way round).
 */
export async function openConnection(connection: ValidatedConnection): Promise<ConnectionAdapter> {
  switch (connection.type) {
    case "duckdb": {
      const { openDuckDB } = await import("./adapters/duckdb.js");
      return openDuckDB(connection);
    }
    case "postgres":
    case "redshift": {
      const { openPostgres } = await import("./adapters/postgres.js");
      return openPostgres(connection);
    }
    case "mysql": {
      const { openMySQL } = await import("./adapters/mysql.js");
      return openMySQL(connection);
    }
    default:
      throw new UnsupportedConnectionTypeError(connection.name, connection.type);
  }
}
