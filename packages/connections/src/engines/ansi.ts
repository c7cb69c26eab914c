import type { Dialect, DialectName } from "../types.js";

export interface DialectOptions {
  /** The identifier quote characters; default the standard's double quotes. */
  quotes?: readonly [open: string, close: string];
  /** Default true, as in the standard. */
  transactionalDdl?: boolean;
  /** Default true, as in the standard. */
  supportsSchemas?: boolean;
  /** Overrides the standard-ish `SELECT * FROM (query) AS bruin_query LIMIT n`. */
  limitRows?: (query: string, limit: number) => string;
  /** The node-sql-parser grammar column lineage parses the dialect's queries with (see Dialect.sqlGrammar). */
  sqlGrammar?: string;
}

/**
 * The shared default dialect: double-quoted identifiers (a closing quote
 * doubled), transactional DDL, schemas, and `LIMIT`. An engine passes only
 * what differs.
 */
export function ansiDialect(name: DialectName, options: DialectOptions = {}): Dialect {
  const [open, close] = options.quotes ?? ['"', '"'];
  const quoteIdentifier = (part: string) => `${open}${part.split(close).join(close + close)}${close}`;
  return {
    name,
    quoteIdentifier,
    quoteName: (qualifiedName: string) => qualifiedName.split(".").map(quoteIdentifier).join("."),
    transactionalDdl: options.transactionalDdl ?? true,
    supportsSchemas: options.supportsSchemas ?? true,
    limitRows: options.limitRows ?? ((query, limit) => `SELECT * FROM (${query}) AS bruin_query LIMIT ${limit}`),
    ...(options.sqlGrammar === undefined ? {} : { sqlGrammar: options.sqlGrammar }),
  };
}
