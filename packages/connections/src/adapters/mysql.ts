import { UnsupportedConnectionTypeError } from "../errors.js";
import type { ConnectionAdapter, ValidatedConnection } from "../types.js";

export async function openMySQL(connection: ValidatedConnection): Promise<ConnectionAdapter> {
  throw new UnsupportedConnectionTypeError(connection.name, connection.type);
}
