import type { ConnectionType, Dialect, DialectName } from "../types.js";
import { bigquery } from "./bigquery.js";
import { databricks } from "./databricks.js";
import { duckdb } from "./duckdb.js";
import type { ConnectionEngine } from "./engine.js";
import { generic } from "./generic.js";
import { mongodb } from "./mongodb.js";
import { mssql } from "./mssql.js";
import { mysql } from "./mysql.js";
import { postgres } from "./postgres.js";
import { redshift } from "./redshift.js";
import { snowflake } from "./snowflake.js";

export type { ConnectionEngine } from "./engine.js";

/** Every engine, one line each. Adding an engine adds its module and one line here. */
export const CONNECTION_ENGINES: readonly ConnectionEngine[] = [
  duckdb,
  postgres,
  redshift,
  mysql,
  mssql,
  snowflake,
  bigquery,
  databricks,
  mongodb,
  generic,
];

const BY_TYPE = new Map<string, ConnectionEngine>(CONNECTION_ENGINES.map((e) => [e.type, e]));
const BY_ALIAS = new Map<string, ConnectionType>(
  CONNECTION_ENGINES.flatMap((e) => (e.aliases ?? []).map((a) => [a, e.type] as const)),
);

/** The engine of a connection type, or undefined. */
export function connectionEngine(type: string): ConnectionEngine | undefined {
  return BY_TYPE.get(type);
}

/** The connection type an alias stands for (`mongo` → `mongodb`), or undefined. */
export function typeOfAlias(alias: string): ConnectionType | undefined {
  return BY_ALIAS.get(alias);
}

/** The dialect of every engine that has one, by dialect name. */
export function dialectsByName(): Record<DialectName, Dialect> {
  return Object.fromEntries(
    CONNECTION_ENGINES.flatMap((e) => (e.dialect ? [[e.dialect.name, e.dialect] as const] : [])),
  ) as Record<DialectName, Dialect>;
}
