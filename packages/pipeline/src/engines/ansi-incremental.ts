import type { ConnectionAdapter } from "@bruin-ts/connections";
import type { Asset } from "../model.js";
import { siblingName } from "../names.js";
import { mergeUpdateColumns, primaryKeyColumns } from "../strategies.js";
import type { AnsiEngine } from "./ansi.js";
import type { IncrementalInput, IncrementalPlan, IncrementalStrategy } from "./engine.js";

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
  readonly strategies: readonly IncrementalStrategy[] = ["append", "delete+insert", "truncate+insert", "merge"];
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
    }
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
    return { ...parts, on: keys.map((k) => `target.${k} = source.${k}`).join(" AND "), updates };
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
  async apply(adapter: ConnectionAdapter, asset: Asset, strategy: IncrementalStrategy, query: string): Promise<void> {
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
      const plan = this.plan({ strategy, table: asset.name, query, columns, asset, scratch });
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
