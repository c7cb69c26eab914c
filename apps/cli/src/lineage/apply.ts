import type { Asset } from "@bruin-ts/pipeline";
import { lineageColumnJson, type Json, type JsonObject } from "../parse-json.js";
import {
  queryLineage,
  type LineageColumn,
  type LineageSchema,
  type QueryLineage,
  type SqlParser,
} from "./sql-lineage.js";

/**
 * Column lineage written into the JSON of `internal parse-pipeline -c` and
 * `parse-asset -c`, as the reference CLI does it: each SQL asset's query is
 * parsed after its upstreams' (whose columns, declared or found this way,
 * are the schema the query is read with). A result column gets its upstream
 * columns (`{column, table}`); a column the asset does not declare is added,
 * copied from the upstream asset's column it comes from (renamed, not a
 * primary key, without checks); a declared one takes the upstream's
 * description, type and owner where it has none, its tags and domains, and
 * its update_on_merge. Each asset upstream lists the columns the query reads
 * from it (`{name, usage}`), the filtered, joined and grouped-on ones first.
 * A query that cannot be rendered or parsed leaves its asset as it was and
 * is reported as an issue.
 */

/** One asset: the loaded model (its query) and the JSON document being printed. */
export interface LineageDocument {
  asset: Asset;
  json: JsonObject;
}

export interface LineageIssue {
  name: string;
  error: string;
}

interface LineageContext {
  /** The asset's query rendered as for a run. Throws when it does not render. */
  render(asset: Asset): string;
  /** The parser of the asset's SQL dialect; undefined for assets lineage does not read (not SQL, or no grammar). */
  parserFor(asset: Asset): Promise<SqlParser | undefined>;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function objects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value)
    ? value.filter((v): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v))
    : [];
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export class ColumnLineage {
  private readonly processed = new Set<string>();
  readonly issues: LineageIssue[] = [];

  constructor(
    private readonly documents: readonly LineageDocument[],
    private readonly context: LineageContext,
  ) {}

  private byName(name: string): LineageDocument | undefined {
    return this.documents.find((d) => d.asset.name === name);
  }

  private byNameCaseInsensitive(name: string): LineageDocument | undefined {
    return this.documents.find((d) => same(d.asset.name, name));
  }

  /** Lineage of one asset, after that of its upstreams (each asset once). */
  async run(document: LineageDocument): Promise<void> {
    const { asset } = document;
    if (this.processed.has(asset.name)) return;
    this.processed.add(asset.name);
    for (const upstream of asset.depends) {
      const found = this.byName(upstream);
      if (found) await this.run(found);
    }
    const issue = await this.parse(document);
    if (issue !== undefined) this.issues.push({ name: asset.name, error: issue });
  }

  private async parse(document: LineageDocument): Promise<string | undefined> {
    const { asset } = document;
    const parser = await this.context.parserFor(asset);
    if (!parser) return undefined;
    const missing = asset.depends.find((name) => !this.byName(name));
    if (missing !== undefined) return `upstream asset not found: ${missing}`;
    let query: string;
    try {
      query = this.context.render(asset);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    const lineage = queryLineage(parser, query, this.schemaOfUpstreams(asset));
    if (lineage.errors.length > 0) return lineage.errors.join(", ");
    this.apply(document, lineage);
    return undefined;
  }

  /** The declared upstreams that have columns, as the parser's schema. */
  private schemaOfUpstreams(asset: Asset): LineageSchema {
    const schema: LineageSchema = new Map();
    for (const name of asset.depends) {
      const upstream = this.byName(name);
      const columns = upstream ? objects(upstream.json.columns) : [];
      if (!upstream || columns.length === 0) continue;
      const types = new Map<string, string>();
      for (const column of columns) {
        if (typeof column.name === "string" && column.name !== "") {
          types.set(column.name, typeof column.type === "string" ? column.type : "");
        }
      }
      schema.set(upstream.asset.name.toLowerCase(), types);
    }
    return schema;
  }

  private apply(document: LineageDocument, lineage: QueryLineage): void {
    for (const column of lineage.columns) {
      if (column.name === "*") {
        this.copyStar(document, column);
        continue;
      }
      if (column.upstream.length === 0) {
        this.addColumn(document, lineageColumnJson(column.name, column.type, []));
        continue;
      }
      for (const upstream of column.upstream) {
        if (upstream.column === "*") continue;
        const source = this.byNameCaseInsensitive(upstream.table);
        if (!source) {
          const reference = { column: upstream.column, table: upstream.table.toLowerCase() };
          this.addColumn(document, lineageColumnJson(column.name, column.type, [reference]));
          continue;
        }
        const reference = { column: upstream.column, table: source.asset.name };
        const found = objects(source.json.columns).find(
          (c) => typeof c.name === "string" && same(c.name, upstream.column),
        );
        const copy: JsonObject = found
          ? { ...structuredClone(found), name: column.name, primary_key: false, checks: [], upstreams: [reference] }
          : lineageColumnJson(column.name, column.type, [reference]);
        this.addColumn(document, copy);
      }
    }
    this.listUpstreamColumns(document, lineage);
  }

  /** A `*` left by the parser (a table it has no columns for): the columns of that asset, if it is one. */
  private copyStar(document: LineageDocument, column: LineageColumn): void {
    for (const upstream of column.upstream) {
      const source = this.byNameCaseInsensitive(upstream.table);
      if (!source) return;
      if (upstream.column === "*") {
        for (const found of objects(source.json.columns)) {
          this.addColumn(document, { ...structuredClone(found), primary_key: false, checks: [] });
        }
        return;
      }
    }
  }

  private addColumn(document: LineageDocument, column: JsonObject): void {
    const columns = objects(document.json.columns);
    const name = typeof column.name === "string" ? column.name : "";
    if (name === "") return;
    const existing = columns.find((c) => typeof c.name === "string" && same(c.name, name));
    if (!existing) {
      document.json.columns = [...columns, column];
      return;
    }
    if (!existing.description) existing.description = column.description ?? "";
    if (!existing.type) existing.type = column.type ?? "";
    if (existing.entity_attribute === null || existing.entity_attribute === undefined) {
      existing.entity_attribute = column.entity_attribute ?? null;
    }
    if (existing.primary_key !== true) existing.primary_key = column.primary_key === true;
    for (const key of ["tags", "domains"] as const) {
      const merged = strings(existing[key]);
      for (const value of strings(column[key])) if (!merged.includes(value)) merged.push(value);
      existing[key] = merged;
    }
    if (!existing.owner) existing.owner = column.owner ?? "";
    existing.update_on_merge = column.update_on_merge === true;
    const upstreams = objects(existing.upstreams);
    for (const upstream of objects(column.upstreams)) {
      const known = upstreams.some(
        (u) => same(String(u.column), String(upstream.column)) && same(String(u.table), String(upstream.table)),
      );
      if (!known) upstreams.push(upstream);
    }
    existing.upstreams = upstreams;
  }

  /** Each asset upstream's `columns`: what the query filters, joins or groups on from it, then what it selects. */
  private listUpstreamColumns(document: LineageDocument, lineage: QueryLineage): void {
    for (const upstream of objects(document.json.upstreams)) {
      if (typeof upstream.value !== "string") continue;
      const target = upstream.value;
      const listed = objects(upstream.columns);
      const add = (table: string, column: string) => {
        if (!same(table, target) || listed.some((c) => typeof c.name === "string" && same(c.name, column))) return;
        listed.push({ name: column, usage: "" });
      };
      for (const column of lineage.nonSelectedColumns) {
        for (const source of column.upstream) add(source.table, column.name);
      }
      for (const column of lineage.columns) {
        if (column.name === "*") continue;
        for (const source of column.upstream) add(source.table, source.column);
      }
      upstream.columns = listed;
    }
  }
}
