import type { ConnectionAdapter } from "@bruin-ts/connections";
import type { Asset } from "../model.js";
import { siblingName } from "../names.js";
import { dataVaultColumns, type DataVaultStrategy } from "../datavault.js";
import {
  INCREMENTAL_STRATEGIES,
  isScd2Strategy,
  mergeUpdateColumns,
  primaryKeyColumns,
  SCD2_COLUMNS,
} from "../strategies.js";
import type { AnsiEngine } from "./ansi.js";
import type { IncrementalInput, IncrementalPlan, IncrementalStrategy, RunContext } from "./engine.js";
import { intervalBounds } from "./time.js";

/** The pieces of an incremental statement, quoted for the engine. */
export interface IncrementalParts {
  input: IncrementalInput;
  /** The quoted target table. */
  target: string;
  /** The quoted scratch table holding the new rows. */
  scratch: string;
  /** The query's columns, quoted and joined. */
  cols: string;
}

/** A merge's pieces: the key condition and the columns updated on a match. */
export interface MergeParts extends IncrementalParts {
  /** `target.k = source.k AND ...` */
  on: string;
  /** Quoted column and the expression it is set to. */
  updates: { column: string; value: string }[];
}

/**
 * The default SQL of the incremental strategies, for engines with
 * transactional DDL: the new rows go to a session temp table, and all of it
 * — the temp table included — is one transaction, so a failing query changes
 * nothing. Merge is one standard MERGE statement. Engine modules override
 * what differs.
 */
export class AnsiIncremental {
  /** The strategies this class implements (every incremental one). */
  readonly strategies: readonly IncrementalStrategy[] = INCREMENTAL_STRATEGIES;
  /**
   * Whether the scratch table is a real table built (and its columns read)
   * before the transaction, for engines whose DDL commits implicitly.
   */
  readonly prebuildScratch: boolean = false;

  constructor(protected readonly engine: AnsiEngine) {}

  /** The statements of an incremental strategy. */
  plan(input: IncrementalInput): IncrementalPlan {
    const { strategy, query, asset } = input;
    const e = this.engine;
    const parts: IncrementalParts = {
      input,
      target: e.quoteTable(input.table),
      scratch: this.scratchRef(input.scratch),
      cols: input.columns.map((c) => e.quoteIdent(c)).join(", "),
    };
    const insertFrom = (from: string) =>
      `INSERT INTO ${parts.target} (${parts.cols}) SELECT ${parts.cols} FROM ${from}`;
    const direct = this.prebuildScratch ? parts.scratch : `(\n${query}\n) AS source`;
    switch (strategy) {
      case "append":
        return this.wrap([insertFrom(direct)], this.prebuildScratch, parts);
      case "truncate+insert":
        // DELETE rather than TRUNCATE: MySQL's TRUNCATE commits implicitly, and on
        // the others readers keep seeing the old rows until the commit.
        return this.wrap([`DELETE FROM ${parts.target}`, insertFrom(direct)], this.prebuildScratch, parts);
      case "delete+insert": {
        const key = e.quoteIdent(requireColumn(input, asset.materialization?.incrementalKey, "incremental_key"));
        return this.wrap(
          [
            `DELETE FROM ${parts.target} WHERE ${key} IN (SELECT ${key} FROM ${parts.scratch})`,
            insertFrom(parts.scratch),
          ],
          true,
          parts,
        );
      }
      case "merge":
        return this.merge(this.mergeParts(parts));
      case "time_interval": {
        const key = e.quoteIdent(requireColumn(input, asset.materialization?.incrementalKey, "incremental_key"));
        if (!input.interval)
          throw new Error(`asset '${asset.name}': the time_interval strategy needs the run's interval`);
        const granularity = asset.materialization?.timeGranularity;
        if (granularity !== "date" && granularity !== "timestamp") {
          throw new Error(`asset '${asset.name}': 'time_granularity' must be either 'date' or 'timestamp'`);
        }
        const [from, to] = intervalBounds(input.interval, granularity);
        const literal = (v: string) => (granularity === "date" ? e.dateLiteral(v) : e.timestampLiteral(v));
        return this.wrap(
          [`DELETE FROM ${parts.target} WHERE ${key} BETWEEN ${literal(from)} AND ${literal(to)}`, insertFrom(direct)],
          this.prebuildScratch,
          parts,
        );
      }
      case "scd2_by_column":
      case "scd2_by_time":
        return this.scd2(parts);
      case "ddl":
        return { apply: e.createTableStatements(asset) };
      case "datavault_hub":
      case "datavault_link":
      case "datavault_satellite":
        return { apply: this.dataVaultStatements(asset, strategy, query, false) };
    }
  }

  /**
   * A Data Vault load, run as one transaction: the table is created from the
   * declared columns if missing (dropped first on a full refresh), with the
   * role-bearing columns NOT NULL; source rows with a NULL in one of those are
   * skipped. A hub or link inserts, per hash key, the source row with the
   * earliest load datetime, if the key is new. A satellite inserts, per parent
   * hash key in load-datetime order, each row whose hashdiff differs from the
   * one before it (the first row: from the target's latest), one row per
   * primary key, skipping keys the target has.
   */
  dataVaultStatements(asset: Asset, strategy: DataVaultStrategy, query: string, fullRefresh: boolean): string[] {
    const dv = dataVaultColumns(asset, strategy);
    if (Array.isArray(dv)) throw new Error(`asset '${asset.name}': ${dv[0]}`);
    const e = this.engine;
    const id = (c: string) => e.quoteIdent(c);
    const target = e.quoteTable(asset.name);
    const definitions = asset.columns.map(
      (c) => `${id(c.name)} ${c.type}${dv.mandatory.includes(c) || c.nullable === false ? " NOT NULL" : ""}`,
    );
    definitions.push(`PRIMARY KEY (${dv.primaryKey.map(id).join(", ")})`);
    const statements = fullRefresh ? [`DROP TABLE IF EXISTS ${target}`] : [];
    statements.push(`CREATE TABLE IF NOT EXISTS ${target} (\n  ${definitions.join(",\n  ")}\n)`);
    const columns = asset.columns.map((c) => id(c.name));
    const from = (alias: string) => columns.map((c) => `${alias}.${c}`).join(", ");
    const valid = dv.mandatory.map((c) => `source.${id(c.name)} IS NOT NULL`).join(" AND ");
    const hk = id(dv.hashKey.name);
    const ld = id(dv.loadDatetime.name);
    const head = `INSERT INTO ${target} (${columns.join(", ")})\nWITH __bruin_source AS (\n${query}\n),\n`;
    if (!dv.hashDiff) {
      statements.push(
        head +
          `__bruin_ranked AS (\n  SELECT ${from("source")}, ROW_NUMBER() OVER (PARTITION BY source.${hk} ORDER BY source.${ld}) AS __bruin_row_number\n` +
          `  FROM __bruin_source AS source WHERE ${valid}\n)\n` +
          `SELECT ${from("source")} FROM __bruin_ranked AS source\nWHERE source.__bruin_row_number = 1\n` +
          `  AND NOT EXISTS (SELECT 1 FROM ${target} AS target WHERE target.${hk} = source.${hk})`,
      );
      return statements;
    }
    const hd = id(dv.hashDiff.name);
    const changed = (a: string, b: string) => `NOT (${e.notDistinct(a, b)})`;
    const order = `PARTITION BY dedup.${hk} ORDER BY dedup.${ld}, dedup.${hd}`;
    statements.push(
      head +
        `__bruin_valid AS (\n  SELECT ${from("source")} FROM __bruin_source AS source WHERE ${valid}\n),\n` +
        `__bruin_dedup AS (\n  SELECT ${from("ranked")} FROM (\n` +
        `    SELECT valid.*, ROW_NUMBER() OVER (PARTITION BY ${dv.primaryKey.map((k) => `valid.${id(k)}`).join(", ")} ORDER BY valid.${hd}) AS __bruin_pk_row_number\n` +
        `    FROM __bruin_valid AS valid\n  ) AS ranked WHERE ranked.__bruin_pk_row_number = 1\n),\n` +
        `__bruin_ordered AS (\n  SELECT dedup.*, LAG(dedup.${hd}) OVER (${order}) AS __bruin_previous_hashdiff, ` +
        `ROW_NUMBER() OVER (${order}) AS __bruin_row_number\n  FROM __bruin_dedup AS dedup\n),\n` +
        `__bruin_latest AS (\n  SELECT ranked.${hk}, ranked.${hd} FROM (\n` +
        `    SELECT target.${hk}, target.${hd}, ROW_NUMBER() OVER (PARTITION BY target.${hk} ORDER BY target.${ld} DESC) AS __bruin_latest_row_number\n` +
        `    FROM ${target} AS target\n  ) AS ranked WHERE ranked.__bruin_latest_row_number = 1\n)\n` +
        `SELECT ${from("source")} FROM __bruin_ordered AS source\n` +
        `LEFT JOIN __bruin_latest AS latest ON latest.${hk} = source.${hk}\n` +
        `WHERE ((source.__bruin_row_number = 1 AND (latest.${hk} IS NULL OR ${changed(`latest.${hd}`, `source.${hd}`)}))\n` +
        `    OR (source.__bruin_row_number > 1 AND ${changed("source.__bruin_previous_hashdiff", `source.${hd}`)}))\n` +
        `  AND NOT EXISTS (SELECT 1 FROM ${target} AS target WHERE ${dv.primaryKey.map((k) => `target.${id(k)} = source.${id(k)}`).join(" AND ")})`,
    );
    return statements;
  }

  /**
   * SCD2 on an existing table, from the new rows in the scratch table: the
   * current versions that changed (scd2_by_column: a non-key value differs;
   * scd2_by_time: the incremental key is later) or whose key is gone are
   * closed, then every row whose key has no current version is inserted as one.
   * A version closed by a change ends when the new one starts (at the
   * incremental key, if any); one closed by a missing key ends now.
   */
  private scd2(parts: IncrementalParts): IncrementalPlan {
    const { input } = parts;
    const { asset, strategy } = input;
    const e = this.engine;
    const id = (c: string) => e.quoteIdent(c);
    for (const reserved of SCD2_COLUMNS) {
      if (input.columns.some((c) => c.toLowerCase() === reserved)) {
        throw new Error(`asset '${asset.name}': the query returns '${reserved}', a column name SCD2 reserves`);
      }
    }
    const keys = primaryKeyColumns(asset).map((k) => requireColumn(input, k, "primary key column"));
    if (keys.length === 0) {
      throw new Error(
        `asset '${asset.name}': materialization strategy '${strategy}' requires at least one column with 'primary_key: true'`,
      );
    }
    const timeKey = asset.materialization?.incrementalKey;
    const time = timeKey || strategy === "scd2_by_time" ? requireColumn(input, timeKey, "incremental_key") : undefined;
    const now = e.instantLiteral(input.now ?? new Date());
    const sourceTime = time ? e.utcInstant(`source.${id(time)}`) : undefined;
    const match = keys.map((k) => `target.${id(k)} = source.${id(k)}`).join(" AND ");
    const source = (condition: string) => `SELECT 1 FROM ${parts.scratch} AS source WHERE ${condition}`;
    let closes: string;
    if (strategy === "scd2_by_time") {
      closes = `NOT EXISTS (${source(match)}) OR EXISTS (${source(`${match} AND ${sourceTime} > target.${id("_valid_from")}`)})`;
    } else {
      const same = input.columns
        .filter((c) => !keys.includes(c))
        .map((c) => e.notDistinct(`target.${id(c)}`, `source.${id(c)}`));
      closes = `NOT EXISTS (${source([match, ...same].join(" AND "))})`;
    }
    const until = sourceTime
      ? `COALESCE((SELECT MAX(${sourceTime}) FROM ${parts.scratch} AS source WHERE ${match}), ${now})`
      : now;
    const current = `target.${id("_is_current")}`;
    const extra = SCD2_COLUMNS.map(id).join(", ");
    return this.wrap(
      [
        `UPDATE ${parts.target} AS target SET ${id("_valid_until")} = ${until}, ${id("_is_current")} = FALSE ` +
          `WHERE ${current} AND (${closes})`,
        `INSERT INTO ${parts.target} (${parts.cols}, ${extra}) ` +
          `SELECT ${input.columns.map((c) => `source.${id(c)}`).join(", ")}, ${sourceTime ?? now}, ${this.endOfTime()}, TRUE ` +
          `FROM ${parts.scratch} AS source WHERE NOT EXISTS (SELECT 1 FROM ${parts.target} AS target WHERE ${current} AND ${match})`,
      ],
      true,
      parts,
    );
  }

  /** `_valid_until` of a current SCD2 version. */
  private endOfTime(): string {
    return this.engine.instantLiteral(new Date(Date.UTC(9999, 11, 31)));
  }

  /**
   * The query a strategy builds a new table from (the first run, or a full
   * refresh): SCD2 tables start with every row current, valid from now (or
   * from the incremental key); other strategies take the query as it is.
   */
  initialQuery(asset: Asset, strategy: IncrementalStrategy, query: string, context: RunContext = {}): string {
    if (!isScd2Strategy(strategy)) return query;
    const e = this.engine;
    const key = asset.materialization?.incrementalKey;
    const from = key ? e.utcInstant(`src.${e.quoteIdent(key)}`) : e.instantLiteral(context.now ?? new Date());
    return (
      `SELECT src.*, ${from} AS ${e.quoteIdent("_valid_from")}, ${this.endOfTime()} AS ${e.quoteIdent("_valid_until")}, ` +
      `TRUE AS ${e.quoteIdent("_is_current")}\nFROM (\n${query}\n) AS src`
    );
  }

  /** The scratch table as statements name it: a session temp table, unqualified. */
  protected scratchRef(scratch: string): string {
    return this.engine.quoteIdent(scratch.split(".").pop()!);
  }

  /** Adds the scratch table's creation and removal around the statements that read it. */
  protected wrap(apply: string[], needsScratch: boolean, parts: IncrementalParts): IncrementalPlan {
    if (!needsScratch) return { apply };
    return {
      apply: [`CREATE TEMP TABLE ${parts.scratch} AS\n${parts.input.query}`, ...apply, `DROP TABLE ${parts.scratch}`],
    };
  }

  private mergeParts(parts: IncrementalParts): MergeParts {
    const { input } = parts;
    const { asset } = input;
    const id = (c: string) => this.engine.quoteIdent(c);
    const keys = primaryKeyColumns(asset).map((k) => id(requireColumn(input, k, "primary key column")));
    if (keys.length === 0)
      throw new Error(
        `asset '${asset.name}': materialization strategy 'merge' requires at least one column with 'primary_key: true'`,
      );
    const updates = mergeUpdateColumns(asset).map((c) => {
      if (c.mergeSql === undefined) requireColumn(input, c.name, "column marked update_on_merge");
      return { column: id(c.name), value: c.mergeSql ?? `source.${id(c.name)}` };
    });
    // incremental_predicate narrows the target rows a source row can match, as part of the match condition.
    const predicate = asset.materialization?.incrementalPredicate;
    const on = keys.map((k) => `target.${k} = source.${k}`).join(" AND ") + (predicate ? ` AND (${predicate})` : "");
    return { ...parts, on, updates };
  }

  /** MERGE (SQL:2003; DuckDB >= 1.4, PostgreSQL >= 15). SET takes bare column names. */
  protected merge(m: MergeParts): IncrementalPlan {
    const { input } = m;
    const values = input.columns.map((c) => `source.${this.engine.quoteIdent(c)}`).join(", ");
    const lines = [`MERGE INTO ${m.target} AS target`, `USING (\n${input.query}\n) AS source`, `ON ${m.on}`];
    if (m.updates.length > 0)
      lines.push(`WHEN MATCHED THEN UPDATE SET ${m.updates.map((u) => `${u.column} = ${u.value}`).join(", ")}`);
    lines.push(`WHEN NOT MATCHED THEN INSERT (${m.cols}) VALUES (${values})`);
    return this.wrap([lines.join("\n")], false, m);
  }

  /**
   * Merge without MERGE: update the matching rows (with the engine's UPDATE
   * form), then insert the new keys, reading the new rows from the scratch table.
   */
  protected updateThenInsert(m: MergeParts, update: (m: MergeParts) => string): IncrementalPlan {
    const apply: string[] = [];
    if (m.updates.length > 0) apply.push(update(m));
    apply.push(
      `INSERT INTO ${m.target} (${m.cols}) SELECT ${m.cols} FROM ${m.scratch} AS source ` +
        `WHERE NOT EXISTS (SELECT 1 FROM ${m.target} AS target WHERE ${m.on})`,
    );
    return this.wrap(apply, true, m);
  }

  /** The query's columns, read without reading its rows. */
  protected async queryColumns(adapter: ConnectionAdapter, query: string): Promise<string[]> {
    const result = await adapter.query(`SELECT * FROM (\n${query}\n) AS __bruin_source WHERE 1 = 0`);
    return result.columns;
  }

  /**
   * Runs an incremental strategy against an existing table. Where the scratch
   * table is prebuilt, it is built first and its columns read from it:
   * probing the query with `WHERE 1 = 0` could make MariaDB materialize
   * (run) it twice.
   */
  async apply(
    adapter: ConnectionAdapter,
    asset: Asset,
    strategy: IncrementalStrategy,
    query: string,
    context: RunContext = {},
  ): Promise<void> {
    const e = this.engine;
    const scratch = siblingName(asset.name, "__bruin_tmp_");
    const prebuilt = this.prebuildScratch;
    try {
      let columns: string[];
      if (prebuilt) {
        await adapter.exec(`CREATE TABLE ${e.quoteTable(scratch)} AS\n${query}`);
        columns = (await adapter.query(`SELECT * FROM ${e.quoteTable(scratch)} WHERE 1 = 0`)).columns;
      } else {
        columns = await this.queryColumns(adapter, query);
      }
      const plan = this.plan({ strategy, table: asset.name, query, columns, asset, scratch, ...context });
      if (plan.build && !prebuilt) await adapter.exec(plan.build);
      await adapter.transaction(plan.apply);
    } finally {
      if (prebuilt) await adapter.exec(`DROP TABLE IF EXISTS ${e.quoteTable(scratch)}`).catch(() => undefined);
    }
  }
}

/** The column as the query returns it, or a clear error naming the asset. */
function requireColumn(input: IncrementalInput, column: string | undefined, what: string): string {
  const { asset, strategy } = input;
  if (!column) throw new Error(`asset '${asset.name}': materialization strategy '${strategy}' requires '${what}'`);
  const found =
    input.columns.find((c) => c === column) ?? input.columns.find((c) => c.toLowerCase() === column.toLowerCase());
  if (!found) {
    throw new Error(
      `asset '${asset.name}': ${what} '${column}' is not among the query's columns (${input.columns.join(", ")})`,
    );
  }
  return found;
}
