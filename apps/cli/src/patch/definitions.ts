import { readFile, writeFile } from "node:fs/promises";
import type { Json } from "./json.js";
import { isSeq, type Document, type Pair, type YAMLMap } from "yaml";
import { documentText, editableDocument, insertAfter, mergeInto, type Spec } from "./yaml-edit.js";

/**
 * Where an asset file holds its definition: the YAML between the `@bruin`
 * markers of a SQL, Python or R file, or the whole `.asset.yml` file. The
 * text around the YAML is kept byte for byte.
 */
export interface DefinitionText {
  before: string;
  yaml: string;
  after: string;
}

const MARKERS: { test: RegExp; opening: RegExp; closing: RegExp }[] = [
  { test: /\.sql$/i, opening: /^\s*\/\*\s*@bruin[^\n]*?(?=\n|$)/, closing: /@bruin\s*\*\// },
  { test: /\.py$/i, opening: /^\s*("""|''')\s*@bruin[^\n]*?(?=\n|$)/, closing: /@bruin\s*("""|''')/ },
  { test: /\.r$/i, opening: /^\s*(["'])\s*@bruin[^\n]*?(?=\n|$)/, closing: /@bruin\s*(["'])/ },
];

/** The definition's YAML within the file's text; undefined for a file with no `@bruin` header. */
export function splitDefinition(file: string, text: string): DefinitionText | undefined {
  if (/\.asset\.ya?ml$/i.test(file)) return { before: "", yaml: text, after: "" };
  const markers = MARKERS.find((m) => m.test.test(file));
  if (markers === undefined) return undefined;
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = text.slice(bom.length);
  const opening = markers.opening.exec(body);
  if (!opening) return undefined;
  const start = opening[0].length;
  const closing = markers.closing.exec(body.slice(start));
  if (!closing) return undefined;
  // The closing marker stays with the text after the YAML, with the whitespace before it on its line.
  const yamlEnd = start + closing.index;
  const lineStart = body.lastIndexOf("\n", yamlEnd - 1) + 1;
  const end = /^[ \t]*$/.test(body.slice(lineStart, yamlEnd)) ? lineStart : yamlEnd;
  return { before: bom + body.slice(0, start), yaml: body.slice(start, end), after: body.slice(end) };
}

/**
 * The YAML text with `patch` merged in (see mergeInto), in the style it was
 * written in, with the blank lines that surround it kept. Top-level fields
 * `current` does not have are ignored.
 */
export function patchYaml(
  yaml: string,
  patch: Record<string, Json>,
  current: Record<string, Json>,
  spec: Spec,
): { text: string } | { error: string } {
  const leading = /^\s*/.exec(yaml)![0];
  const trailing = /\s*$/.exec(yaml.slice(leading.length))![0];
  const source = yaml.slice(leading.length, yaml.length - trailing.length);
  const editable = editableDocument(source);
  if ("error" in editable) return editable;
  // As the reference decodes the body into its structures, a field they do not have is ignored.
  const known = Object.fromEntries(Object.entries(patch).filter(([key]) => Object.hasOwn(current, key)));
  if (!mergeInto(editable.document, editable.map, known, current, spec)) return { text: yaml };
  const text = editable.map.items.length === 0 ? "" : documentText(editable.document, source).replace(/\n$/, "");
  return { text: `${leading}${text}${trailing === "" && text !== "" ? "" : trailing}` };
}

/**
 * The asset file's text after `edit` changed its definition's YAML document;
 * the header markers, the query and the blank lines around the YAML are kept.
 */
export function editDefinition(file: string, text: string, edit: (document: Document, map: YAMLMap) => void): string {
  const split = splitDefinition(file, text);
  if (split === undefined) throw new Error(`no asset definition found in '${file}'`);
  const leading = /^\s*/.exec(split.yaml)![0];
  const trailing = /\s*$/.exec(split.yaml.slice(leading.length))![0];
  const source = split.yaml.slice(leading.length, split.yaml.length - trailing.length);
  const editable = editableDocument(source);
  if ("error" in editable) throw new Error(editable.error);
  edit(editable.document, editable.map);
  const yaml = documentText(editable.document, source).replace(/\n$/, "");
  return `${split.before}${leading}${yaml}${trailing === "" ? "\n" : trailing}${split.after}`;
}

/**
 * Appends `items` to the list under `key` in the definition in `file` (which
 * is rewritten), creating the key after the first of `after` present when the
 * definition has no such list; the rest of the file is kept as written.
 */
export async function appendToDefinitionList(
  file: string,
  key: string,
  items: readonly unknown[],
  after: readonly string[],
): Promise<void> {
  const text = await readFile(file, "utf8");
  const next = editDefinition(file, text, (document, map) => {
    const list = map.get(key, true);
    if (isSeq(list)) for (const item of items) list.items.push(document.createNode(item));
    else insertAfter(map, document.createPair(key, items) as Pair, after);
  });
  await writeFile(file, next);
}
