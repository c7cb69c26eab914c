import type { Dialect } from "@bruin-ts/connections";
import { engineForDialect } from "./engines/index.js";

export { scalarNumber, siblingName, splitName, sqlNumber, stripTrailingSemicolons } from "./names.js";

/** A string literal in the engine's syntax (see its engine module). */
export function sqlString(value: string, dialect: Dialect): string {
  return engineForDialect(dialect).stringLiteral(value);
}

export function castToText(expression: string, dialect: Dialect): string {
  return engineForDialect(dialect).castToText(expression);
}

/** Quotes one identifier part for generated SQL, as the engine module says. */
export function quoteIdent(part: string, dialect: Dialect): string {
  return engineForDialect(dialect).quoteIdent(part);
}

/** Quotes a dotted name part by part (see `quoteIdent`). */
export function quoteTable(name: string, dialect: Dialect): string {
  return engineForDialect(dialect).quoteTable(name);
}
