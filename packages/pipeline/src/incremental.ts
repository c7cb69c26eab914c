import type { ConnectionAdapter, Dialect } from "@bruin-ts/connections";
import type { Asset } from "./model.js";
import { mergeUpdateColumns, primaryKeyColumns, type TableStrategy } from "./strategies.js";
import { quoteIdent, quoteTable, siblingName } from "./sql.js";
import { queryColumns } from "./table-info.js";

/**
 * How an incremental strategy runs on one engine: `build` (optional, outside
 * any transaction) materializes the new rows into a scratch table, `apply`
 * runs as one transaction, `cleanup` (optional) always runs afterwards.
 */
export interface IncrementalPlan {
  build?: string;
  apply: string[];
  cleanup?: string;
}

export interface IncrementalInput {
  strategy: Exclude<TableStrategy, "create+replace">;
  /** The table's name as the asset gives it. */
  table: string;
  /** The rendered query, trailing semicolons removed. */
  query: string;
  /** The query's result columns (inserted by name). */
  columns: readonly string[];
  asset: Asset;
  /** A fresh name for the scratch table. */
  scratch: string;
}

/**
 * The statements of an incremental strategy. On DuckDB and PostgreSQL all of
 * it — the scratch table included — is one transaction, so a failing query
 * changes nothing. MySQL commits DDL implicitly: the new rows are built into
 * a scratch table first (a failing query stops there), then applied with data
 * statements only, which roll back together.
 */
export function incrementalPlan(dialect: Dialect, input: IncrementalInput): IncrementalPlan {
  const { strategy, query, asset } = input;
  const q = (n: string) => quoteTable(n, dialect);
  const id = (c: string) => quoteIdent(c, dialect);
  const target = q(input.table);
  const cols = input.columns.map(id).join(", ");
  const mysql = dialect.name === "mysql";
  // MySQL's scratch table is a real one beside the target; elsewhere a session temp table.
  const scratch = mysql ? q(input.scratch) : id(splitLast(input.scratch));
  const insertFrom = (from: string) => `INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${from}`;

  const wrap = (apply: string[], needsScratch: boolean): IncrementalPlan => {
    if (!needsScratch) return { apply };
    if (mysql) return { build: `CREATE TABLE ${scratch} AS\n${query}`, apply, cleanup: `DROP TABLE IF EXISTS ${scratch}` };
    return { apply: [`CREATE TEMP TABLE ${scratch} AS\n${query}`, ...apply, `DROP TABLE ${scratch}`] };
  };

  switch (strategy) {
    case "append":
      return wrap([insertFrom(mysql ? scratch : `(\n${query}\n) AS source`)], mysql);
    case "truncate+insert":
      // DELETE rather than TRUNCATE: MySQL's TRUNCATE commits implicitly, and on
      // the others readers keep seeing the old rows until the commit.
      return wrap([`DELETE FROM ${target}`, insertFrom(mysql ? scratch : `(\n${query}\n) AS source`)], mysql);
    case "delete+insert": {
      const key = id(requireColumn(input, asset.materialization?.incrementalKey, "incremental_key"));
      return wrap([`DELETE FROM ${target} WHERE ${key} IN (SELECT ${key} FROM ${scratch})`, insertFrom(scratch)], true);
    }
    case "merge":
      return mergePlan(dialect, input, { target, scratch, cols, id, wrap });
  }
}

function mergePlan(
  dialect: Dialect,
  input: IncrementalInput,
  h: {
    target: string;
    scratch: string;
    cols: string;
    id: (c: string) => string;
    wrap: (apply: string[], needsScratch: boolean) => IncrementalPlan;
  },
): IncrementalPlan {
  const { asset, query } = input;
  const keys = primaryKeyColumns(asset).map((k) => h.id(requireColumn(input, k, "primary key column")));
  if (keys.length === 0) throw new Error(`asset '${asset.name}': materialization strategy 'merge' requires at least one column with 'primary_key: true'`);
  const on = keys.map((k) => `target.${k} = source.${k}`).join(" AND ");
  const updates = mergeUpdateColumns(asset).map((c) => {
    if (c.mergeSql === undefined) requireColumn(input, c.name, "column marked update_on_merge");
    return { column: h.id(c.name), value: c.mergeSql ?? `source.${h.id(c.name)}` };
  });
  const values = input.columns.map((c) => `source.${h.id(c)}`).join(", ");

  if (dialect.name === "duckdb" || dialect.name === "postgres") {
    // MERGE: DuckDB >= 1.4, PostgreSQL >= 15. SET takes bare column names.
    const lines = [`MERGE INTO ${h.target} AS target`, `USING (\n${query}\n) AS source`, `ON ${on}`];
    if (updates.length > 0) lines.push(`WHEN MATCHED THEN UPDATE SET ${updates.map((u) => `${u.column} = ${u.value}`).join(", ")}`);
    lines.push(`WHEN NOT MATCHED THEN INSERT (${h.cols}) VALUES (${values})`);
    return h.wrap([lines.join("\n")], false);
  }

  // MySQL and Redshift: update the matching rows, then insert the new keys.
  // MySQL's ON DUPLICATE KEY UPDATE would need a unique index on exactly the
  // primary-key columns and cannot see `target.`/`source.` in merge_sql.
  const insertNew =
    `INSERT INTO ${h.target} (${h.cols}) SELECT ${h.cols} FROM ${h.scratch} AS source ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${h.target} AS target WHERE ${on})`;
  const apply: string[] = [];
  if (updates.length > 0) {
    apply.push(
      dialect.name === "mysql"
        ? `UPDATE ${h.target} AS target JOIN ${h.scratch} AS source ON ${on} SET ${updates.map((u) => `target.${u.column} = ${u.value}`).join(", ")}`
        : `UPDATE ${h.target} AS target SET ${updates.map((u) => `${u.column} = ${u.value}`).join(", ")} FROM ${h.scratch} AS source WHERE ${on}`,
    );
  }
  apply.push(insertNew);
  return h.wrap(apply, true);
}

function splitLast(name: string): string {
  return name.split(".").pop()!;
}

/** The column as the query returns it, or a clear error naming the asset. */
function requireColumn(input: IncrementalInput, column: string | undefined, what: string): string {
  const { asset, strategy } = input;
  if (!column) throw new Error(`asset '${asset.name}': materialization strategy '${strategy}' requires '${what}'`);
  const found = input.columns.find((c) => c === column) ?? input.columns.find((c) => c.toLowerCase() === column.toLowerCase());
  if (!found) {
    throw new Error(`asset '${asset.name}': ${what} '${column}' is not among the query's columns (${input.columns.join(", ")})`);
  }
  return found;
}

/**
 * Runs an incremental strategy against an existing table. On MySQL the
 * scratch table is built first and its columns read from it: probing the
 * query with `WHERE 1 = 0` could make MariaDB materialize (run) it twice.
 */
export async function applyIncremental(
  adapter: ConnectionAdapter,
  asset: Asset,
  strategy: IncrementalInput["strategy"],
  query: string,
): Promise<void> {
  const { dialect } = adapter;
  const scratch = siblingName(asset.name, "__bruin_tmp_");
  const prebuilt = dialect.name === "mysql";
  try {
    let columns: string[];
    if (prebuilt) {
      await adapter.exec(`CREATE TABLE ${quoteTable(scratch, dialect)} AS\n${query}`);
      columns = (await adapter.query(`SELECT * FROM ${quoteTable(scratch, dialect)} WHERE 1 = 0`)).columns;
    } else {
      columns = await queryColumns(adapter, query);
    }
    const plan = incrementalPlan(dialect, { strategy, table: asset.name, query, columns, asset, scratch });
    if (plan.build && !prebuilt) await adapter.exec(plan.build);
    await adapter.transaction(plan.apply);
  } finally {
    if (prebuilt) await adapter.exec(`DROP TABLE IF EXISTS ${quoteTable(scratch, dialect)}`).catch(() => undefined);
  }
}
