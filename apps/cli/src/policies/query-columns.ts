import { identifier, stripTemplates, tokenize } from "../sql-tokens.js";

/**
 * The names of the columns a SQL query returns, read from the projection of
 * its outermost SELECT (after any WITH clause; the first branch of a UNION):
 * `expr AS name`, `expr name`, `table.column` and `column`. Jinja tags and
 * expressions are set aside first. Returns undefined when the columns cannot
 * be told from the text alone: `*`, an expression without a name, no SELECT.
 */
export function queryColumns(query: string): string[] | undefined {
  const tokens = tokenize(stripTemplates(query));
  let depth = 0;
  let start = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "(") depth++;
    else if (token === ")") depth--;
    else if (depth === 0 && token.toLowerCase() === "select") {
      start = i + 1;
      break;
    }
  }
  if (start < 0) return undefined;
  const items: string[][] = [[]];
  depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i]!;
    const word = token.toLowerCase();
    if (token === "(") depth++;
    if (token === ")") depth--;
    if (depth === 0 && END_OF_PROJECTION.has(word)) break;
    if (depth === 0 && token === ",") items.push([]);
    else items.at(-1)!.push(token);
  }
  const first = items[0]!;
  while (first.length > 0 && ["distinct", "all"].includes(first[0]!.toLowerCase())) first.shift();
  const names: string[] = [];
  for (const item of items) {
    const name = columnName(item);
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

const END_OF_PROJECTION = new Set([
  "from",
  "where",
  "group",
  "having",
  "order",
  "limit",
  "union",
  "intersect",
  "except",
  "qualify",
  "window",
  "into",
  ";",
]);

function columnName(item: string[]): string | undefined {
  if (item.length === 0) return undefined;
  const last = item.at(-1)!;
  if (last === "*") return undefined;
  // `expr AS name`
  if (item.length >= 3 && item.at(-2)!.toLowerCase() === "as") return identifier(last);
  // `column` or `table.column`
  if (item.length === 1 || (item.length >= 3 && item.at(-2) === ".")) {
    const name = identifier(last);
    const qualifiedOnly = item.every((token, index) => (index % 2 === 1 ? token === "." : identifier(token)));
    if (name !== undefined && qualifiedOnly && name !== "__template__") return name;
  }
  // `expr name`: a name right after a complete expression.
  const name = identifier(last);
  const before = item.at(-2);
  if (name !== undefined && NOT_ALIASES.has(last.toLowerCase())) return undefined;
  if (name !== undefined && before !== undefined && KEYWORDS_BEFORE_VALUE.has(before.toLowerCase()) === false) {
    if (before === ")" || identifier(before) !== undefined || /^'.*'$|^\d/.test(before)) return name;
  }
  return undefined;
}

/** Words that end an expression rather than name it. */
const NOT_ALIASES = new Set(["end", "null", "true", "false"]);

/** Words after which a name is part of the expression, not its alias (`CASE … END`, `x IS NULL`). */
const KEYWORDS_BEFORE_VALUE = new Set(["case", "when", "then", "else", "and", "or", "not", "is", "in", "like", "by"]);
