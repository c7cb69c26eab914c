/**
 * Column lineage of one query, read from the syntax tree node-sql-parser
 * builds: for each column of the query's result, the columns of base tables
 * it is computed from (through aliases, joins, subqueries, CTEs, UNIONs and
 * expressions), and the base-table columns the query filters, joins or groups
 * on without selecting them. `SELECT *` expands to the columns the schema
 * gives for a table (or a CTE's or subquery's columns); a table the schema
 * does not know leaves a `*` column behind. The result has the shape of the
 * reference CLI's parser: columns sorted by name, each upstream list sorted
 * by column, and errors instead of exceptions.
 */

interface UpstreamColumn {
  column: string;
  table: string;
}

export interface LineageColumn {
  name: string;
  upstream: UpstreamColumn[];
  /** The type the query gives a column with no base-table upstream (a literal or a CAST); else empty. */
  type: string;
}

export interface QueryLineage {
  columns: LineageColumn[];
  nonSelectedColumns: LineageColumn[];
  errors: string[];
}

/** Table name (as the query writes it, lowercased) → its columns, name → type. */
export type LineageSchema = Map<string, Map<string, string>>;

/** The part of a node-sql-parser build this module uses. */
export interface SqlParser {
  astify(sql: string): unknown;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isNode(value)) {
    if (typeof value.value === "string") return value.value;
    if (isNode(value.expr)) return text(value.expr);
  }
  return undefined;
}

/** An output column while the query is walked: upstreams not yet sorted. */
interface Output {
  name: string;
  upstream: UpstreamColumn[];
  type: string;
}

/** What a FROM item provides: a base table (columns known from the schema, or not), or a derived table. */
type Source =
  | { alias: string; kind: "table"; table: string; columns: Map<string, string> | undefined }
  | { alias: string; kind: "derived"; outputs: Output[] }
  | { alias: string; kind: "opaque" };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

class Analyzer {
  readonly nonSelected: UpstreamColumn[] = [];

  constructor(private readonly schema: LineageSchema) {}

  /** The result columns of a SELECT (with its WITH and UNION parts). */
  select(node: Node, outerCtes: Map<string, Output[]>): Output[] {
    const ctes = new Map(outerCtes);
    for (const cte of Array.isArray(node.with) ? node.with : []) {
      if (!isNode(cte)) continue;
      const name = text(cte.name);
      const body = isNode(cte.stmt) ? (isNode(cte.stmt.ast) ? cte.stmt.ast : cte.stmt) : undefined;
      if (name === undefined || !body) continue;
      let outputs = this.select(body, ctes);
      const renamed = Array.isArray(cte.columns)
        ? cte.columns.map((c) => (isNode(c) && c.type === "column_ref" ? text(c.column) : text(c)))
        : [];
      if (renamed.length > 0) outputs = outputs.map((o, i) => ({ ...o, name: renamed[i] ?? o.name }));
      ctes.set(name.toLowerCase(), outputs);
    }
    const outputs = this.core(node, ctes);
    // UNION / INTERSECT / EXCEPT: the first part names the columns; each position takes every part's upstreams.
    const next = node._next;
    if (isNode(next)) {
      const rest = this.select(next, ctes);
      return outputs.map((output, i) => ({
        ...output,
        upstream: [...output.upstream, ...(rest[i]?.upstream ?? [])],
        type: output.type || (rest[i]?.type ?? ""),
      }));
    }
    return outputs;
  }

  private core(node: Node, ctes: Map<string, Output[]>): Output[] {
    const sources: Source[] = [];
    for (const item of Array.isArray(node.from) ? node.from : []) {
      if (!isNode(item)) continue;
      const source = this.source(item, ctes);
      sources.push(source);
      if (item.on !== undefined && item.on !== null) this.collectNonSelected(item.on, sources, ctes);
      if (Array.isArray(item.using)) {
        for (const part of item.using) {
          const column = text(part);
          if (column === undefined) continue;
          const earlier = sources.slice(0, -1).find((s) => this.provides(s, column));
          for (const side of [earlier, source]) {
            if (side) this.nonSelected.push(...this.fromSource(side, column));
          }
        }
      }
    }
    for (const clause of [node.where, node.groupby]) {
      if (clause !== undefined && clause !== null) this.collectNonSelected(clause, sources, ctes);
    }
    const outputs: Output[] = [];
    const columns = Array.isArray(node.columns) ? node.columns : [];
    columns.forEach((item, index) => {
      if (!isNode(item)) return;
      const expr = isNode(item.expr) ? item.expr : undefined;
      if (!expr) return;
      if (expr.type === "column_ref" && text(expr.column) === "*") {
        outputs.push(...this.star(sources, qualifierOf(expr)));
        return;
      }
      const alias = text(item.as) || undefined;
      const name = alias ?? (expr.type === "column_ref" ? text(expr.column) : undefined) ?? `_col_${index}`;
      const upstream = this.columnsOf(expr, sources, ctes);
      outputs.push({ name, upstream, type: upstream.length === 0 ? literalType(expr) : "" });
    });
    return outputs;
  }

  private source(item: Node, ctes: Map<string, Output[]>): Source {
    const alias = text(item.as) || undefined;
    const expr = isNode(item.expr) ? item.expr : undefined;
    if (expr && isNode(expr.ast)) {
      return { alias: alias ?? "", kind: "derived", outputs: this.select(expr.ast, ctes) };
    }
    if (typeof item.table === "string") {
      const db = typeof item.db === "string" && item.db !== "" ? item.db : undefined;
      const cte = db === undefined ? ctes.get(item.table.toLowerCase()) : undefined;
      if (cte) return { alias: alias ?? item.table, kind: "derived", outputs: cte };
      const table = db === undefined ? item.table : `${db}.${item.table}`;
      return { alias: alias ?? item.table, kind: "table", table, columns: this.schema.get(table.toLowerCase()) };
    }
    return { alias: alias ?? "", kind: "opaque" };
  }

  /** Whether a source is known to have a column. */
  private provides(source: Source, column: string): boolean {
    if (source.kind === "table") return [...(source.columns?.keys() ?? [])].some((c) => same(c, column));
    if (source.kind === "derived") return source.outputs.some((o) => same(o.name, column));
    return false;
  }

  private fromSource(source: Source, column: string): UpstreamColumn[] {
    if (source.kind === "table") return [{ table: source.table, column }];
    if (source.kind === "derived") return source.outputs.find((o) => same(o.name, column))?.upstream ?? [];
    return [];
  }

  /** The base-table columns a column reference stands for. */
  private resolve(ref: Node, sources: Source[]): UpstreamColumn[] {
    const column = text(ref.column);
    if (column === undefined || column === "*") return [];
    const qualifier = qualifierOf(ref);
    if (qualifier !== undefined) {
      const source =
        sources.find((s) => same(s.alias, qualifier)) ??
        sources.find((s) => s.kind === "table" && (same(s.table, qualifier) || same(lastPart(s.table), qualifier)));
      return source ? this.fromSource(source, column) : [];
    }
    if (sources.length === 1) return this.fromSource(sources[0]!, column);
    const candidates = sources.filter((s) => this.provides(s, column));
    return candidates.length === 1 ? this.fromSource(candidates[0]!, column) : [];
  }

  /** Every base-table column an expression reads (subqueries in it included). */
  private columnsOf(
    value: unknown,
    sources: Source[],
    ctes: Map<string, Output[]>,
    intoSubqueries = true,
  ): UpstreamColumn[] {
    const found: UpstreamColumn[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        for (const item of v) walk(item);
        return;
      }
      if (!isNode(v)) return;
      if (v.type === "column_ref") {
        found.push(...this.resolve(v, sources));
        return;
      }
      if (isNode(v.ast)) {
        const outputs = this.select(v.ast, ctes);
        if (intoSubqueries) for (const output of outputs) found.push(...output.upstream);
        return;
      }
      for (const [key, child] of Object.entries(v)) {
        if (key !== "tableList" && key !== "columnList") walk(child);
      }
    };
    walk(value);
    return found;
  }

  private collectNonSelected(clause: unknown, sources: Source[], ctes: Map<string, Output[]>): void {
    // The clause's own columns; a subquery in it reports its own WHERE, JOIN and GROUP BY columns.
    this.nonSelected.push(...this.columnsOf(clause, sources, ctes, false));
  }

  /** `*` or `alias.*`: the columns of the sources it covers, where they are known. */
  private star(sources: Source[], qualifier: string | undefined): Output[] {
    const covered = qualifier === undefined ? sources : sources.filter((s) => same(s.alias, qualifier));
    const outputs: Output[] = [];
    for (const source of covered) {
      if (source.kind === "derived") outputs.push(...source.outputs);
      else if (source.kind === "table" && source.columns) {
        for (const [name, type] of source.columns) {
          outputs.push({ name, upstream: [{ table: source.table, column: name }], type });
        }
      } else if (source.kind === "table") {
        outputs.push({ name: "*", upstream: [{ table: source.table, column: "*" }], type: "" });
      }
    }
    return outputs;
  }
}

/** The table a column reference is qualified with (`t`, or `s.t`), if any. */
function qualifierOf(ref: Node): string | undefined {
  const table = text(ref.table);
  if (table === undefined || table === "") return undefined;
  const schema = text(ref.schema);
  return schema ? `${schema}.${table}` : table;
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

/** The type of a column computed from no table: a literal's, or a CAST's target; empty when not evident. */
function literalType(expr: Node): string {
  switch (expr.type) {
    case "number":
      return Number.isInteger(expr.value) ? "INT" : "DOUBLE";
    case "single_quote_string":
    case "string":
      return "VARCHAR";
    case "bool":
      return "BOOLEAN";
    case "aggr_func":
      return typeof expr.name === "string" && expr.name.toUpperCase() === "COUNT" ? "BIGINT" : "";
    case "cast": {
      const target = Array.isArray(expr.target) ? expr.target[0] : expr.target;
      return isNode(target) && typeof target.dataType === "string" ? target.dataType.toUpperCase() : "";
    }
    default:
      return "";
  }
}

function dedupeSorted(upstream: UpstreamColumn[]): UpstreamColumn[] {
  const seen = new Map<string, UpstreamColumn>();
  for (const u of upstream) seen.set(`${u.table}\u0000${u.column}`, u);
  return [...seen.values()]
    .sort((a, b) => compare(a.table, b.table))
    .sort((a, b) => compare(a.column.toLowerCase(), b.column.toLowerCase()));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The parser's message without its list of every token it expected: what it
 * found, and where in the rendered query.
 */
function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const found = /\bbut (.+) found\.?$/s.exec(message)?.[1];
  if (found === undefined) return message;
  const start = (error as { location?: { start?: { line?: number; column?: number } } }).location?.start;
  const where = start?.line === undefined ? "" : ` at line ${start.line}, column ${start.column ?? 0}`;
  return `unexpected ${found}${where}`;
}

/** The lineage of one query; a query the parser cannot read gives no columns and the parser's message. */
export function queryLineage(parser: SqlParser, query: string, schema: LineageSchema): QueryLineage {
  let ast: unknown;
  try {
    ast = parser.astify(query);
  } catch (error) {
    return { columns: [], nonSelectedColumns: [], errors: [`Parse error: ${parseErrorMessage(error)}`] };
  }
  const statements = (Array.isArray(ast) ? ast : [ast]).filter(isNode);
  const statement = statements.length === 1 ? statements[0] : undefined;
  if (!statement || statement.type !== "select") {
    return { columns: [], nonSelectedColumns: [], errors: ["Failed to parse query"] };
  }
  const analyzer = new Analyzer(schema);
  const outputs = analyzer.select(statement, new Map());
  const columns = outputs
    .map((o) => ({ name: o.name, upstream: dedupeSorted(o.upstream), type: o.type }))
    .sort((a, b) => compare(a.name, b.name));
  // Grouped by column name, in the order of name then table.
  const pairs = dedupeSorted(analyzer.nonSelected.filter((u) => u.column !== "*")).sort((a, b) =>
    compare(a.column + a.table, b.column + b.table),
  );
  const byName = new Map<string, LineageColumn>();
  for (const pair of pairs) {
    const entry = byName.get(pair.column) ?? { name: pair.column, upstream: [], type: "" };
    entry.upstream.push(pair);
    byName.set(pair.column, entry);
  }
  return { columns, nonSelectedColumns: [...byName.values()], errors: [] };
}
