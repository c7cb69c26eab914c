/**
 * A fast path for the YAML of asset headers.
 *
 * Asset headers are short and nearly always written in a small part of
 * YAML: block mappings and sequences of plain words. The `yaml` package
 * builds a full document for each (about 0.1–0.25 ms a header, most of
 * parsing a 1,000-asset pipeline). `parseSimpleYaml` reads that small part
 * directly and gives up, returning `undefined`, on anything else, so that
 * the caller uses `yaml` for it: the result is always what `yaml` would give
 * (a test compares the two on generated documents), and every error and its
 * line still come from `yaml`.
 *
 * Read here:
 * - block mappings whose keys are plain words (`name`, `depends`, `x.y-z`);
 * - block sequences, also at the same indent as their key, and mappings
 *   started on a `- ` line (`- name: id`);
 * - plain scalars on one line that start with a letter, `_`, `/` or `$` and
 *   hold no `:` or `#`; `true`, `false`, `null`, `~`, empty values (null) and
 *   small decimal integers;
 * - blank lines and whole-line comments.
 *
 * Anything else (quotes, flow collections, anchors, tags, block scalars,
 * scalars over several lines, inline comments, `:` or `#` inside a value,
 * other numbers, tabs, duplicate keys, document markers) is left to `yaml`.
 */

interface Line {
  indent: number;
  content: string;
}

/** Signals that the text is outside the subset. */
class OutsideSubset extends Error {}

const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?:[ ]+(.*))?$/;
/**
 * A plain scalar that YAML 1.2's core schema reads as this very string: it
 * starts with no indicator and holds no `:` or `#` (so no ": " or " #").
 */
const PLAIN_WORDS = /^[A-Za-z_/$][^#:]*$/;
/** Core-schema booleans and nulls in any case ("True", "NULL"): left to `yaml`. */
const RESERVED = /^(?:true|false|null)$/i;
const INTEGER = /^(?:0|-?[1-9][0-9]{0,14})$/;

/** The value of `text`, or `undefined` when `text` is outside the subset (then use `yaml`). */
export function parseSimpleYaml(text: string): unknown {
  const lines = toLines(text);
  if (!lines || lines.length === 0) return undefined;
  const reader = new Reader(lines);
  try {
    const value = reader.block(lines[0]!.indent);
    return reader.done() ? value : undefined;
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

function toLines(text: string): Line[] | undefined {
  const lines: Line[] = [];
  for (let raw of text.split("\n")) {
    if (raw.endsWith("\r")) raw = raw.slice(0, -1);
    if (raw.includes("\t") || raw.includes("\r")) return undefined;
    const content = raw.trim();
    if (content === "" || content.startsWith("#")) continue;
    if (content.startsWith("---") || content.startsWith("...")) return undefined;
    lines.push({ indent: raw.length - raw.trimStart().length, content });
  }
  return lines;
}

function isItem(content: string): boolean {
  return content === "-" || content.startsWith("- ");
}

class Reader {
  #at = 0;
  readonly #lines: Line[];

  constructor(lines: Line[]) {
    this.#lines = lines;
  }

  done(): boolean {
    return this.#at === this.#lines.length;
  }

  /** The node whose first line is the current one, at `indent`. */
  block(indent: number): unknown {
    const line = this.#lines[this.#at]!;
    return isItem(line.content) ? this.#sequence(indent) : this.#mapping(indent);
  }

  #peek(): Line | undefined {
    return this.#lines[this.#at];
  }

  #mapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (let line = this.#peek(); line && line.indent === indent; line = this.#peek()) {
      const match = KEY.exec(line.content);
      if (!match) throw new OutsideSubset();
      const key = match[1]!;
      if (RESERVED.test(key) || key === "__proto__" || Object.hasOwn(result, key)) throw new OutsideSubset();
      const rest = match[2]?.trim() ?? "";
      this.#at += 1;
      const next = this.#peek();
      if (rest !== "") {
        // A deeper line after a value would continue the scalar over several lines.
        if (next && next.indent > indent) throw new OutsideSubset();
        result[key] = scalar(rest);
      } else if (next && next.indent > indent) {
        result[key] = this.block(next.indent);
      } else if (next && next.indent === indent && isItem(next.content)) {
        result[key] = this.#sequence(indent);
      } else {
        result[key] = null;
      }
    }
    this.#checkDedent(indent);
    return result;
  }

  #sequence(indent: number): unknown[] {
    const result: unknown[] = [];
    for (let line = this.#peek(); line && line.indent === indent && isItem(line.content); line = this.#peek()) {
      if (line.content === "-") {
        this.#at += 1;
        const next = this.#peek();
        result.push(next && next.indent > indent ? this.block(next.indent) : null);
        continue;
      }
      const after = line.content.slice(1);
      const body = after.trimStart();
      const bodyIndent = indent + 1 + (after.length - body.length);
      if (isItem(body)) throw new OutsideSubset();
      if (KEY.test(body)) {
        // `- key: value` starts a mapping whose keys line up with `key`.
        this.#lines[this.#at] = { indent: bodyIndent, content: body };
        result.push(this.#mapping(bodyIndent));
        continue;
      }
      this.#at += 1;
      const next = this.#peek();
      if (next && next.indent > indent) throw new OutsideSubset();
      result.push(scalar(body));
    }
    this.#checkDedent(indent);
    return result;
  }

  /** After a node at `indent`, the next line must belong to an enclosing node. */
  #checkDedent(indent: number): void {
    const next = this.#peek();
    if (next && next.indent > indent) throw new OutsideSubset();
  }
}

function scalar(text: string): unknown {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null" || text === "~") return null;
  if (INTEGER.test(text)) return Number(text);
  if (PLAIN_WORDS.test(text) && !RESERVED.test(text)) return text;
  throw new OutsideSubset();
}
