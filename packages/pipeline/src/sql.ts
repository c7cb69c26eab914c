import type { Dialect } from "@bruin-ts/connections";
import { engineForDialect } from "./engines/index.js";

export { scalarNumber, splitName, stripTrailingSemicolons } from "./names.js";

/** A string literal in the engine's syntax (its engine module says whether `\` escapes). */
export function sqlString(value: string, dialect: Dialect): string {
  return engineForDialect(dialect).stringLiteral(value);
}
