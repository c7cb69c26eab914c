import path from "node:path";
import { SelectionError } from "./errors.js";
import type { Asset, Pipeline } from "./model.js";

/**
 * `--selector`: a dbt-style selection expression over a pipeline's assets.
 *
 * - Words separated by spaces are a union: `tag:a tag:b` is every asset
 *   tagged `a` or `b`.
 * - Parts of a word separated by commas are an intersection:
 *   `tag:a,path:assets/mart` is the assets tagged `a` under `assets/mart`.
 * - A part is a method and a value: `tag:` (an asset tag), `path:` (an asset
 *   file, or a folder of them, relative to the pipeline folder, its parent or
 *   the current folder), `file:` (the asset file's name), `fqn:` (the asset's
 *   name); without a method, the asset's name or its path. Values may use
 *   `*` (any characters) and `?` (one character): `tag:team_*`.
 * - Graph operators around a part: `+x` also selects every upstream of x,
 *   `2+x` its upstreams up to two levels; `x+` every downstream, `x+1` one
 *   level; `@x` x, every downstream of it and every upstream of those.
 */
export interface SelectorContext {
  /** The folder relative paths were typed in (`path:` matches relative to it too). */
  cwd?: string;
}

interface Part {
  text: string;
  method: "tag" | "path" | "file" | "fqn" | "name";
  value: string;
  /** Levels of upstream to add: Infinity for all; 0 for none. */
  up: number;
  /** Levels of downstream to add. */
  down: number;
  at: boolean;
}

const METHODS = ["tag", "path", "file", "fqn"] as const;

function parsePart(text: string): Part {
  const at = text.startsWith("@");
  let rest = at ? text.slice(1) : text;
  let up = 0;
  const prefix = /^(\d*)\+/.exec(rest);
  if (prefix) {
    if (at) throw new SelectionError(`invalid selector '${text}': '@' and a leading '+' cannot be combined`);
    up = prefix[1] ? Number(prefix[1]) : Infinity;
    rest = rest.slice(prefix[0].length);
  }
  let down = 0;
  const suffix = /\+(\d*)$/.exec(rest);
  if (suffix) {
    if (at) throw new SelectionError(`invalid selector '${text}': '@' and a trailing '+' cannot be combined`);
    down = suffix[1] ? Number(suffix[1]) : Infinity;
    rest = rest.slice(0, suffix.index);
  }
  let method: Part["method"] = "name";
  const colon = rest.indexOf(":");
  if (colon > 0) {
    const name = rest.slice(0, colon);
    if (!(METHODS as readonly string[]).includes(name)) {
      throw new SelectionError(
        `invalid selector '${text}': unknown method '${name}:'; possible: ${METHODS.join(", ")}`,
      );
    }
    method = name as Part["method"];
    rest = rest.slice(colon + 1);
  }
  if (rest === "") throw new SelectionError(`invalid selector '${text}': nothing to select`);
  return { text, method, value: rest, up, down, at };
}

/**
 * A `*`/`?` pattern as an anchored regular expression. In a path, `*` and `?`
 * stay within one folder and `**` crosses folders.
 */
function glob(pattern: string, inPath = false): RegExp {
  const body = pattern
    .split(/(\*\*|\*|\?)/)
    .map((piece) => {
      if (piece === "**") return ".*";
      if (piece === "*") return inPath ? "[^/]*" : ".*";
      if (piece === "?") return inPath ? "[^/]" : ".";
      return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${body}$`, "s");
}

const slashes = (text: string) => text.split(path.sep).join("/");

/** The asset's path as it may be typed: absolute, and relative to the pipeline folder, its parent and the cwd. */
function pathForms(asset: Asset, pipeline: Pipeline, context: SelectorContext): string[] {
  const forms = [
    asset.path,
    path.relative(pipeline.dir, asset.path),
    path.relative(path.dirname(pipeline.dir), asset.path),
  ];
  if (context.cwd) forms.push(path.relative(context.cwd, asset.path));
  return forms.map(slashes);
}

function matchesPath(value: string, asset: Asset, pipeline: Pipeline, context: SelectorContext): boolean {
  const wanted = slashes(value).replace(/^\.\//, "").replace(/\/+$/, "");
  const pattern = glob(wanted, true);
  return pathForms(asset, pipeline, context).some(
    (form) => form === wanted || form.startsWith(`${wanted}/`) || pattern.test(form),
  );
}

function matches(part: Part, asset: Asset, pipeline: Pipeline, context: SelectorContext): boolean {
  switch (part.method) {
    case "tag": {
      const pattern = glob(part.value);
      return asset.tags.some((tag) => pattern.test(tag));
    }
    case "path":
      return matchesPath(part.value, asset, pipeline, context);
    case "file":
      return glob(part.value).test(path.basename(asset.path));
    case "fqn":
      return glob(part.value).test(asset.name);
    case "name":
      return glob(part.value).test(asset.name) || matchesPath(part.value, asset, pipeline, context);
  }
}

/** The assets `depth` levels up (or down) from `start`, start excluded; Infinity for all. */
function walk(start: Set<string>, edges: Map<string, string[]>, depth: number): Set<string> {
  const found = new Set<string>();
  let frontier = [...start];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const neighbour of edges.get(name) ?? []) {
        if (found.has(neighbour) || start.has(neighbour)) continue;
        found.add(neighbour);
        next.push(neighbour);
      }
    }
    frontier = next;
  }
  return found;
}

/**
 * The assets a selector expression picks, in pipeline order. An expression
 * that cannot be parsed throws a SelectionError; one that parses but matches
 * nothing returns an empty list (the caller says so).
 */
export function evaluateSelector(pipeline: Pipeline, expression: string, context: SelectorContext = {}): Asset[] {
  const words = expression.split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new SelectionError("--selector needs an expression, e.g. 'tag:daily' or '+mart.sales'");
  const known = new Set(pipeline.assets.map((a) => a.name));
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>();
  for (const asset of pipeline.assets) {
    const deps = asset.depends.filter((dep) => known.has(dep));
    upstream.set(asset.name, deps);
    for (const dep of deps) downstream.set(dep, [...(downstream.get(dep) ?? []), asset.name]);
  }
  const partSet = (part: Part): Set<string> => {
    const base = new Set(pipeline.assets.filter((a) => matches(part, a, pipeline, context)).map((a) => a.name));
    const result = new Set(base);
    if (part.at) {
      const below = walk(base, downstream, Infinity);
      for (const name of below) result.add(name);
      for (const name of walk(new Set([...base, ...below]), upstream, Infinity)) result.add(name);
      return result;
    }
    for (const name of walk(base, upstream, part.up)) result.add(name);
    for (const name of walk(base, downstream, part.down)) result.add(name);
    return result;
  };
  const selected = new Set<string>();
  for (const word of words) {
    const parts = word.split(",").filter(Boolean).map(parsePart);
    let common: Set<string> | undefined;
    for (const part of parts) {
      const set = partSet(part);
      common = common ? new Set([...common].filter((name) => set.has(name))) : set;
    }
    for (const name of common ?? []) selected.add(name);
  }
  return pipeline.assets.filter((a) => selected.has(a.name));
}
