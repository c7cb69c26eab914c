import { isMap, isScalar, isSeq, parseDocument, type Document, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { isJsonObject as isObject, type Json } from "./json.js";

/**
 * Applies a JSON patch body to a YAML definition in place, the way the
 * reference CLI applies `--body` (its fields decoded over the loaded
 * definition), while keeping everything the patch does not change as it is
 * written: comments, key order, quoting, blank lines. Only fields whose value
 * differs from what the definition shows today (the `current` document, as
 * `internal parse-*` prints it) are written; a field set to its empty value
 * (`""`, `null`, `[]`, `{}`, `false`, or the default of `blocking` and
 * `nullable`) is removed, as the reference leaves empty fields out.
 */

/** How one JSON field of a patch maps onto the YAML definition. */
export interface FieldSpec {
  /** The key in the YAML definition, when not the JSON one. */
  key?: string;
  /** A read-only field (ids, file paths): ignored. */
  skip?: boolean;
  /** The YAML value of a new JSON value, when not the value itself. */
  toYaml?: (value: Json) => unknown;
  /** A nested structure: merged field by field. */
  fields?: Spec;
  /** A list of named structures (columns, checks): items matched by `name`, each merged. */
  items?: Spec;
}

export type Spec = Record<string, FieldSpec>;

/** Keys whose `false` is not their empty value, and whose `true` is their default. */
const DEFAULT_TRUE = new Set(["blocking", "nullable"]);

/** The same JSON value, whatever the order of the keys; a missing value is null. */
function equal(left: unknown, right: unknown): boolean {
  const a = left ?? null;
  const b = right ?? null;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => equal(a[key], b[key]));
  }
  return a === b;
}

function isEmpty(key: string, value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.keys(value).length === 0;
  if (DEFAULT_TRUE.has(key)) return value === true;
  return value === false;
}

/** The YAML value of a JSON value under `spec`, its empty fields left out. */
function toYaml(value: Json, spec: FieldSpec): unknown {
  if (spec.toYaml) return spec.toYaml(value);
  if (isObject(value)) return objectToYaml(value, spec.fields ?? {});
  if (spec.items && Array.isArray(value)) {
    return value.map((item) => (isObject(item) ? objectToYaml(item, spec.items!) : item));
  }
  return value;
}

function objectToYaml(value: Record<string, Json>, spec: Spec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = spec[key] ?? {};
    if (field.skip) continue;
    const converted = toYaml(item, field);
    const yamlKey = field.key ?? key;
    if (!isEmpty(yamlKey, converted)) out[yamlKey] = converted;
  }
  return out;
}

function nameOf(node: unknown): unknown {
  return isMap(node) ? node.get("name") : undefined;
}

/** Merges `patch` into the mapping `map`, field by field. */
export function mergeInto(
  document: Document,
  map: YAMLMap,
  patch: Record<string, Json>,
  current: Record<string, Json>,
  spec: Spec,
): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(patch)) {
    const field = spec[key] ?? {};
    if (field.skip || equal(value, current[key])) continue;
    changed = true;
    const yamlKey = field.key ?? key;
    const existing = map.get(yamlKey, true);
    const before = current[key];
    if (isObject(value) && isMap(existing) && !field.toYaml) {
      mergeInto(document, existing, value, isObject(before) ? before : {}, field.fields ?? {});
      if (existing.items.length === 0) remove(map, yamlKey);
      continue;
    }
    if (Array.isArray(value) && field.items && isSeq(existing)) {
      mergeList(document, existing, value, Array.isArray(before) ? before : [], field.items);
      if (existing.items.length === 0) remove(map, yamlKey);
      continue;
    }
    const converted = toYaml(value, field);
    if (isEmpty(yamlKey, converted)) {
      remove(map, yamlKey);
    } else if (isScalar(existing) && (converted === null || typeof converted !== "object")) {
      existing.value = converted;
    } else {
      map.set(yamlKey, document.createNode(converted));
    }
  }
  return changed;
}

/** Deletes a key; the blank line before it, if any, goes to the key after it. */
function remove(map: YAMLMap, key: string): void {
  const index = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === key);
  if (index < 0) return;
  const [pair] = map.items.splice(index, 1);
  const next = map.items[index];
  const removedKey = pair?.key;
  if (next && isScalar(next.key) && isScalar(removedKey) && removedKey.spaceBefore) next.key.spaceBefore = true;
}

/** The list becomes the patch's items, in its order; an item named as an existing one is merged into it. */
function mergeList(document: Document, seq: YAMLSeq, patch: Json[], current: Json[], spec: Spec): void {
  const used = new Set<unknown>();
  seq.items = patch.map((item) => {
    const name = isObject(item) ? item.name : undefined;
    const node = name === undefined ? undefined : seq.items.find((n) => !used.has(n) && nameOf(n) === name);
    const before = current.find((c) => isObject(c) && c.name === name);
    if (node !== undefined && isMap(node) && isObject(item)) {
      used.add(node);
      mergeInto(document, node, item, isObject(before) ? before : {}, spec);
      return node;
    }
    return document.createNode(isObject(item) ? objectToYaml(item, spec) : item);
  });
}

/** A YAML text parsed for editing; an error message when it is not a mapping. */
export function editableDocument(text: string): { document: Document; map: YAMLMap } | { error: string } {
  const document = parseDocument(text, { keepSourceTokens: false });
  if (document.errors.length > 0) return { error: `invalid YAML: ${document.errors[0]!.message.split("\n")[0]}` };
  if (document.contents === null) document.contents = document.createNode({}) as unknown as typeof document.contents;
  if (!isMap(document.contents)) return { error: "the definition must be a YAML mapping" };
  return { document, map: document.contents };
}

/**
 * The document as text in the style it was written in: sequences indented
 * under their key or not, as the source has them; no line folding.
 */
export function documentText(document: Document, source: string): string {
  return restoreLines(serialize(document, source), source);
}

/** A line without the run of spaces before its comment, for telling an unchanged line. */
function normalized(line: string): string {
  return line.replace(/[ \t]+#/g, " #").trimEnd();
}

/**
 * The serializer writes one space before a comment: a line that is the same
 * as a line of the source but for that is put back as the source has it.
 */
function restoreLines(text: string, source: string): string {
  const originals = new Map<string, string[]>();
  for (const line of source.split("\n")) {
    const key = normalized(line);
    originals.set(key, [...(originals.get(key) ?? []), line]);
  }
  return text
    .split("\n")
    .map((line) => originals.get(normalized(line))?.shift() ?? line)
    .join("\n");
}

function serialize(document: Document, source: string): string {
  const notIndented = /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(source);
  const indented = /^( *)[^\s#-][^\n]*:[ \t]*\n\1 +- /m.test(source);
  return document.toString({
    indent: 2,
    indentSeq: indented || !notIndented,
    lineWidth: 0,
    flowCollectionPadding: false,
  });
}

/** Puts `pair` right after the first of the keys `after` the mapping has (at its end when it has none). */
export function insertAfter(map: YAMLMap, pair: Pair, after: readonly string[]): void {
  const keys = map.items.map((item) => (isScalar(item.key) ? String(item.key.value) : ""));
  for (const key of after) {
    const index = keys.indexOf(key);
    if (index >= 0) {
      map.items.splice(index + 1, 0, pair);
      return;
    }
  }
  map.items.push(pair);
}
