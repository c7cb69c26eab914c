import jexlModule from "jexl";

/**
 * Custom policy rules are written as `criteria` expressions. The reference CLI
 * evaluates them with expr-lang (https://expr-lang.org); here they run on
 * jexl, a maintained expression language for JavaScript whose grammar takes
 * new word operators and functions, extended with what expr-lang's rules are
 * written with:
 *
 * - `==`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `/`, `%`, `? :`, `a.b`, `a[0]`;
 * - `&&`, `||`, `!` and their word forms `and`, `or`, `not`;
 * - `in` (an element of a list, a substring, a key of a mapping);
 * - `startsWith`, `endsWith`, `contains` and `matches` (a regular expression);
 * - `nil`, `true`, `false`, numbers and strings in single or double quotes;
 * - pipes: `asset.Name | lower()` is `lower(asset.Name)`;
 * - the functions `len`, `split`, `lower`, `upper`, `trim`, `trimPrefix`,
 *   `trimSuffix`, `hasPrefix`, `hasSuffix`, `join`, `replace`, `indexOf`,
 *   `string`, `int`, `float`, `abs`, `keys`, `values`, `first`, `last`,
 *   `all`, `any`, `none` and `count`.
 *
 * expr-lang's predicates over lists (`all(asset.Columns, .Description != "")`)
 * are not jexl syntax: a list is filtered with jexl's `list[.Field == value]`,
 * and `all`, `any`, `none` and `count` take a list and look at which of its
 * items are set (`any(asset.Columns[.PrimaryKey])`,
 * `len(asset.Columns[.Description == ""]) == 0`).
 * Equality is strict, as in expr-lang (`1 == "1"` is false); `nil` equals a
 * missing field.
 */

type JexlInstance = InstanceType<(typeof jexlModule)["Jexl"]>;

/** The operators jexl adds with `addBinaryOp`, with the fourth argument its typings leave out. */
type AddBinaryOp = (
  operator: string,
  precedence: number,
  fn: (left: unknown, right: unknown) => unknown,
  manualEval?: boolean,
) => void;

/** An operand of a short-circuit operator: evaluated on demand. */
interface Lazy {
  eval(): { then(next: (value: unknown) => unknown): unknown };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** expr-lang's equality: by value for lists and mappings, strict for the rest; nil is a missing value. */
export function valuesEqual(left: unknown, right: unknown): boolean {
  if (left === undefined) left = null;
  if (right === undefined) right = null;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => valuesEqual(item, right[index]));
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length && keys.every((key) => valuesEqual(left[key], right[key]));
  }
  return left === right;
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`${what} expects a string, got ${describeType(value)}`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} expects a list, got ${describeType(value)}`);
  return value;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (Array.isArray(value)) return "list";
  return typeof value === "object" ? "map" : typeof value;
}

function length(value: unknown): number {
  if (typeof value === "string" || Array.isArray(value)) return value.length;
  if (isRecord(value)) return Object.keys(value).length;
  throw new Error(`len expects a string, list or map, got ${describeType(value)}`);
}

function truthyList(value: unknown, what: string): boolean[] {
  return list(value, what).map((item) => item !== false && item !== null && item !== undefined && item !== "");
}

function build(): JexlInstance {
  const jexl = new jexlModule.Jexl();
  const addBinaryOp = jexl.addBinaryOp.bind(jexl) as AddBinaryOp;
  addBinaryOp("==", 20, (left, right) => valuesEqual(left, right));
  addBinaryOp("!=", 20, (left, right) => !valuesEqual(left, right));
  addBinaryOp(
    "and",
    10,
    (left, right) => (left as Lazy).eval().then((value) => (value ? (right as Lazy).eval() : value)),
    true,
  );
  addBinaryOp(
    "or",
    10,
    (left, right) => (left as Lazy).eval().then((value) => (value ? value : (right as Lazy).eval())),
    true,
  );
  // `not` is `!`: the same grammar element (addUnaryOp in jexl 2.3 gives its operators no precedence,
  // so `not a or b` would negate `a or b`).
  jexl.addUnaryOp("not", (right) => !right);
  const bang = jexl._grammar.elements["!"];
  if (bang !== undefined) jexl._grammar.elements.not = bang;
  addBinaryOp("in", 20, (left, right) => {
    if (typeof right === "string") return typeof left === "string" && right.includes(left);
    if (Array.isArray(right)) return right.some((item) => valuesEqual(item, left));
    if (isRecord(right)) return typeof left === "string" && Object.hasOwn(right, left);
    return false;
  });
  addBinaryOp("startsWith", 20, (left, right) => text(left, "startsWith").startsWith(text(right, "startsWith")));
  addBinaryOp("endsWith", 20, (left, right) => text(left, "endsWith").endsWith(text(right, "endsWith")));
  addBinaryOp("contains", 20, (left, right) => text(left, "contains").includes(text(right, "contains")));
  addBinaryOp("matches", 20, (left, right) => new RegExp(text(right, "matches")).test(text(left, "matches")));
  const functions = {
    len: length,
    split: (value: unknown, separator: unknown) => text(value, "split").split(text(separator, "split")),
    lower: (value: unknown) => text(value, "lower").toLowerCase(),
    upper: (value: unknown) => text(value, "upper").toUpperCase(),
    trim: (value: unknown) => text(value, "trim").trim(),
    trimPrefix: (value: unknown, prefix: unknown) => {
      const [s, p] = [text(value, "trimPrefix"), text(prefix, "trimPrefix")];
      return s.startsWith(p) ? s.slice(p.length) : s;
    },
    trimSuffix: (value: unknown, suffix: unknown) => {
      const [s, p] = [text(value, "trimSuffix"), text(suffix, "trimSuffix")];
      return p !== "" && s.endsWith(p) ? s.slice(0, -p.length) : s;
    },
    hasPrefix: (value: unknown, prefix: unknown) => text(value, "hasPrefix").startsWith(text(prefix, "hasPrefix")),
    hasSuffix: (value: unknown, suffix: unknown) => text(value, "hasSuffix").endsWith(text(suffix, "hasSuffix")),
    join: (value: unknown, separator: unknown = "") => list(value, "join").map(String).join(text(separator, "join")),
    replace: (value: unknown, from: unknown, to: unknown) =>
      text(value, "replace").split(text(from, "replace")).join(text(to, "replace")),
    indexOf: (value: unknown, part: unknown) => text(value, "indexOf").indexOf(text(part, "indexOf")),
    string: (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value ?? null)),
    int: (value: unknown) => Math.trunc(Number(value)),
    float: (value: unknown) => Number(value),
    abs: (value: unknown) => Math.abs(Number(value)),
    keys: (value: unknown) => (isRecord(value) ? Object.keys(value) : []),
    values: (value: unknown) => (isRecord(value) ? Object.values(value) : []),
    first: (value: unknown) => list(value, "first")[0],
    last: (value: unknown) => list(value, "last").at(-1),
    all: (value: unknown) => truthyList(value, "all").every(Boolean),
    any: (value: unknown) => truthyList(value, "any").some(Boolean),
    none: (value: unknown) => !truthyList(value, "none").some(Boolean),
    count: (value: unknown) => truthyList(value, "count").filter(Boolean).length,
  };
  jexl.addFunctions(functions);
  // expr-lang's pipes: `asset.Name | lower()`, `asset.Name | split(".")` pass the value as the first argument.
  jexl.addTransforms(functions);
  return jexl;
}

let language: JexlInstance | undefined;

/** A compiled criteria expression: true when the resource passes the rule. */
export interface Criteria {
  evaluate(context: Record<string, unknown>): boolean;
}

/**
 * Compiles a rule's criteria; a syntax error throws, naming what the parser
 * stopped at. Evaluating it in a context throws when the result is not a
 * boolean (expr-lang's `AsBool`), or when a function is given the wrong type.
 */
export function compileCriteria(source: string): Criteria {
  language ??= build();
  const expression = language.compile(source);
  return {
    evaluate(context) {
      const result: unknown = expression.evalSync({ nil: null, ...context });
      if (typeof result !== "boolean") {
        throw new Error(`expected the criteria to be a boolean, got ${describeType(result)}`);
      }
      return result;
    },
  };
}
