import { UnsupportedConnectionTypeError } from "../errors.js";
import type { ConnectionAdapter, ValidatedConnection } from "../types.js";

export async function openPostgres(connection: ValidatedConnection): Promise<ConnectionAdapter> {
  throw new UnsupportedConnectionTypeError(connection.name, connection.type);
}
