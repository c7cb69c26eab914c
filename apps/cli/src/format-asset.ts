/**
 * The canonical form of an asset definition, as `bruin format` writes it:
 * the header's top-level keys in the reference's order, two-space
 * indentation with list items indented under their key, block (not flow)
 * collections, no blank lines except one before the larger sections, and no
 * duplicate `depends` or `tags`. Keys of columns, checks and the
 * materialization follow the reference's order too. Comments and the order of
 * list items are kept; the query or script after the header is kept as
 * written, only trimmed of blank lines around it.
 */
import { isCollection, isMap, isScalar, isSeq, parseDocument, visit, type Pair } from "yaml";

/** The reference's order of an asset's top-level keys; unknown keys follow, in their own order. */
const KEY_ORDER = [
  "uri",
  "name",
  "type",
  "enabled",
  "description",
  "start_date",
  "connection",
  "tags",
  "domains",
  "meta",
  "materialization",
  "depends",
  "image",
  "instance",
  "owner",
  "tier",
  "parameters",
  "secrets",
  "extends",
  "columns",
  "custom_checks",
  "unit_tests",
  "hooks",
  "metadata",
  "snowflake",
  "athena",
  "routing",
  "interval_modifiers",
  "rerun_cooldown",
  "retries",
  "refresh_restricted",
  "notifications",
];

/** The reference's order of the keys of a column, a column check, a custom check and a materialization. */
const COLUMN_ORDER = [
  "name",
  "source_column",
  "type",
  "mask",
  "description",
  "tags",
  "primary_key",
  "update_on_merge",
  "merge_sql",
  "nullable",
  "default",
  "precision",
  "scale",
  "length",
  "collation",
  "foreign_key",
  "owner",
  "domains",
  "meta",
  "extends",
  "checks",
];
const COLUMN_CHECK_ORDER = ["name", "value", "blocking", "description", "retries", "notifications"];
const CUSTOM_CHECK_ORDER = ["name", "description", "value", "count", "blocking", "query", "retries", "notifications"];
const MATERIALIZATION_ORDER = ["type", "strategy", "partition_by", "cluster_by", "incremental_key", "time_granularity"];

/** The top-level keys a blank line is put before (unless first), as the reference does. */
const SPACED_KEYS = new Set([
  "custom_checks",
  "depends",
  "columns",
  "materialization",
  "routing",
  "secrets",
  "parameters",
  "hooks",
]);

export type AssetFileKind = "sql" | "python" | "yaml";

export type FormatResult =
  { kind: "not-asset" } | { kind: "error"; message: string } | { kind: "formatted"; text: string };

const MARKERS = {
  sql: { opening: /^\/\*\s*@bruin/, closing: /@bruin\s*\*\//, open: "/* @bruin", close: "@bruin */" },
  python: { opening: /^("""|''')\s*@bruin/, closing: /@bruin\s*("""|''')/, open: '"""@bruin', close: '@bruin"""' },
} as const;

/** The kind of asset file a path names, or undefined for a file that cannot be one. */
export function assetFileKind(fileName: string): AssetFileKind | undefined {
  if (fileName.endsWith(".sql")) return "sql";
  if (fileName.endsWith(".py")) return "python";
  if (fileName.endsWith(".asset.yml") || fileName.endsWith(".asset.yaml")) return "yaml";
  return undefined;
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** The text an item of `depends` or `tags` is compared by: a plain name, or a mapping's `asset`/`uri`/`value`. */
function identity(item: unknown, caseInsensitive: boolean): string | undefined {
  let text: string | undefined;
  if (isScalar(item)) text = String(item.value);
  else if (isMap(item)) {
    const value = item.get("asset") ?? item.get("uri") ?? item.get("value");
    text = value === undefined ? undefined : JSON.stringify([item.get("asset"), item.get("uri"), item.get("value")]);
  }
  return text !== undefined && caseInsensitive ? text.toLowerCase() : text;
}

function dropDuplicates(node: unknown, caseInsensitive: boolean): void {
  if (!isSeq(node)) return;
  const seen = new Set<string>();
  node.items = node.items.filter((item) => {
    const id = identity(item, caseInsensitive);
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Puts a mapping's keys in `order`; keys not in it follow, in their own order. Anything else is left alone. */
function orderKeys(node: unknown, order: readonly string[]): void {
  if (!isMap(node)) return;
  const rank = (pair: Pair) => {
    const index = order.indexOf(keyOf(pair) ?? "");
    return index < 0 ? order.length : index;
  };
  // Array.prototype.sort is stable: unknown keys keep their order, after the known ones.
  node.items = [...node.items].sort((a, b) => rank(a) - rank(b));
}

/** Formats the YAML of a header; an error message when it is not a YAML mapping. */
function formatHeaderYaml(source: string, kind: AssetFileKind): { yaml: string } | { error: string } {
  const document = parseDocument(source);
  if (document.errors.length > 0) {
    const [first] = document.errors;
    return { error: `invalid YAML in the asset header: ${first?.message.split("\n")[0] ?? ""}` };
  }
  if (document.contents === null) document.contents = document.createNode({}) as unknown as typeof document.contents;
  if (!isMap(document.contents)) return { error: "the asset header must be a YAML mapping" };
  const root = document.contents;

  // A Python file is a Python asset: the reference leaves its `type: python` out.
  if (kind === "python") {
    root.items = root.items.filter(
      (pair) => !(keyOf(pair) === "type" && isScalar(pair.value) && pair.value.value === "python"),
    );
  }
  orderKeys(root, KEY_ORDER);
  orderKeys(root.get("materialization", true), MATERIALIZATION_ORDER);
  const columns = root.get("columns", true);
  if (isSeq(columns)) {
    for (const column of columns.items) {
      orderKeys(column, COLUMN_ORDER);
      const checks = isMap(column) ? column.get("checks", true) : undefined;
      if (isSeq(checks)) for (const check of checks.items) orderKeys(check, COLUMN_CHECK_ORDER);
    }
  }
  const customChecks = root.get("custom_checks", true);
  if (isSeq(customChecks)) for (const check of customChecks.items) orderKeys(check, CUSTOM_CHECK_ORDER);
  dropDuplicates(root.get("depends", true), false);
  dropDuplicates(root.get("tags", true), true);

  // Blank lines and flow style are layout, not content: reset them everywhere, then add the canonical ones.
  visit(document, {
    Node(_key, node) {
      node.spaceBefore = false;
      if (isCollection(node)) node.flow = node.items.length === 0;
    },
    Pair(_key, pair) {
      if (isScalar(pair.key)) pair.key.spaceBefore = false;
    },
  });
  root.items.forEach((pair, index) => {
    const key = keyOf(pair);
    if (index > 0 && key !== undefined && SPACED_KEYS.has(key) && isScalar(pair.key)) pair.key.spaceBefore = true;
  });
  const text = document.toString({ indent: 2, indentSeq: true, lineWidth: 0, flowCollectionPadding: false });
  return { yaml: text.endsWith("\n") ? text : `${text}\n` };
}

/**
 * The canonical text of an asset file, or `not-asset` for a SQL or Python
 * file without a `@bruin` header (left alone, as `run` ignores it).
 */
export function formatAssetText(text: string, kind: AssetFileKind): FormatResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (kind === "yaml") {
    const result = formatHeaderYaml(body, kind);
    return "error" in result ? { kind: "error", message: result.error } : { kind: "formatted", text: result.yaml };
  }
  const markers = MARKERS[kind];
  const start = body.search(/\S/);
  if (start < 0) return { kind: "not-asset" };
  const opening = markers.opening.exec(body.slice(start));
  if (!opening) return { kind: "not-asset" };
  const yamlStart = start + opening[0].length;
  const closing = markers.closing.exec(body.slice(yamlStart));
  if (!closing)
    return { kind: "error", message: `the '${markers.open}' header is never closed with '${markers.close}'` };
  const result = formatHeaderYaml(body.slice(yamlStart, yamlStart + closing.index), kind);
  if ("error" in result) return { kind: "error", message: result.error };
  const rest = body
    .slice(yamlStart + closing.index + closing[0].length)
    .replace(/^\s*\n/, "")
    .replace(/\s+$/, "");
  const formatted = `${markers.open}\n\n${result.yaml}\n${markers.close}\n\n${rest}`;
  return { kind: "formatted", text: formatted.endsWith("\n") ? formatted : `${formatted}\n` };
}
