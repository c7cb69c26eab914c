import { connectionEngine, dialectsByName } from "./engines/index.js";
import type { ConnectionType, Dialect, DialectName } from "./types.js";

/** Every engine's dialect by name; each is defined in the engine's module under `engines/`. */
export const DIALECTS: Record<DialectName, Dialect> = dialectsByName();

/** The SQL dialect of a connection type; throws for types that do not speak SQL (generic, mongodb). */
export function dialectFor(type: ConnectionType): Dialect {
  const engine = connectionEngine(type);
  if (!engine?.sql || !engine.dialect) throw new Error(`connection type '${type}' has no SQL dialect`);
  return engine.dialect;
}
