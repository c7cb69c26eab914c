import { identifier, stripTemplates, tokenize } from "../sql-tokens.js";

/**
 * The tables a SQL query reads: the names after FROM and JOIN (`t`,
 * `schema.t`, `db.schema.t`, quoted or not, comma-separated lists included),
 * without the names of its common table expressions. Jinja tags and
 * expressions are set aside first, so a templated query is read as written.
 */
export function tableReferences(query: string): string[] {
  const tokens = tokenize(stripTemplates(query));
  const ctes = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    const name = identifier(tokens[i]);
    if (name !== undefined && tokens[i + 1]!.toLowerCase() === "as" && tokens[i + 2] === "(") {
      const before = tokens[i - 1]?.toLowerCase();
      if (before === "with" || before === "," || before === "recursive") ctes.add(name.toLowerCase());
    }
  }
  const found: string[] = [];
  const add = (name: string) => {
    if (!ctes.has(name.toLowerCase()) && !found.includes(name)) found.push(name);
  };
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.toLowerCase();
    if (word !== "from" && word !== "join") continue;
    let at = i + 1;
    for (;;) {
      const ref = qualifiedName(tokens, at);
      if (ref === undefined) break;
      add(ref.name);
      at = ref.next;
      // An alias, with or without AS.
      if (tokens[at]?.toLowerCase() === "as") at += 2;
      else if (identifier(tokens[at]) !== undefined && !CLAUSE_WORDS.has(tokens[at]!.toLowerCase())) at += 1;
      if (word !== "from" || tokens[at] !== ",") break;
      at += 1;
    }
  }
  return found;
}

/** Words that follow a table name without being its alias. */
const CLAUSE_WORDS = new Set([
  "where",
  "group",
  "order",
  "having",
  "limit",
  "join",
  "inner",
  "left",
  "right",
  "full",
  "cross",
  "outer",
  "on",
  "using",
  "union",
  "intersect",
  "except",
  "qualify",
  "window",
  "natural",
  "lateral",
]);

/** `a`, `a.b` or `a.b.c` starting at `at`; undefined when a subquery or a function call starts there. */
function qualifiedName(tokens: string[], at: number): { name: string; next: number } | undefined {
  const parts: string[] = [];
  let i = at;
  for (;;) {
    const part = identifier(tokens[i]);
    if (part === undefined) return undefined;
    parts.push(part);
    i++;
    if (tokens[i] !== ".") break;
    i++;
  }
  if (tokens[i] === "(") return undefined;
  if (parts.length === 1 && RESERVED.has(parts[0]!.toLowerCase())) return undefined;
  return { name: parts.join("."), next: i };
}

const RESERVED = new Set(["select", "lateral", "unnest", "values", "__template__"]);
