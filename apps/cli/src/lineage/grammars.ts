import type { SqlParser } from "./sql-lineage.js";

/**
 * node-sql-parser's grammars, one build each (a build holds one dialect's
 * grammar, a fraction of the package's all-dialects entry), loaded on first
 * use. The engines name theirs (`Dialect.sqlGrammar`).
 */
const GRAMMARS: Record<string, () => Promise<unknown>> = {
  postgresql: () => import("node-sql-parser/build/postgresql.js"),
  redshift: () => import("node-sql-parser/build/redshift.js"),
  mysql: () => import("node-sql-parser/build/mysql.js"),
  transactsql: () => import("node-sql-parser/build/transactsql.js"),
  snowflake: () => import("node-sql-parser/build/snowflake.js"),
  bigquery: () => import("node-sql-parser/build/bigquery.js"),
  hive: () => import("node-sql-parser/build/hive.js"),
};

type ParserClass = new () => SqlParser;

const loaded = new Map<string, Promise<SqlParser | undefined>>();

/** The parser of a grammar; undefined for a grammar this CLI does not have. */
export function grammarParser(grammar: string): Promise<SqlParser | undefined> {
  let parser = loaded.get(grammar);
  if (!parser) {
    const load = GRAMMARS[grammar];
    parser = load
      ? load().then((module) => {
          // A CommonJS build: its exports are the default export's properties.
          const exports = module as { default?: { Parser?: ParserClass }; Parser?: ParserClass };
          const Parser = exports.default?.Parser ?? exports.Parser;
          return Parser ? new Parser() : undefined;
        })
      : Promise.resolve(undefined);
    loaded.set(grammar, parser);
  }
  return parser;
}
