export interface SplitOptions {
  /** Whether a backslash escapes a quote inside '...' and "..." (MySQL). PostgreSQL only does so in E'...' strings. */
  backslashEscapes?: boolean;
}

/**
 * Splits a SQL script into statements on `;`, ignoring semicolons inside
 * quoted strings and identifiers ('...', "...", `...`), dollar-quoted strings
 * ($$...$$, $tag$...$tag$), `--` line comments and `/* *\/` block comments.
 * Statements are trimmed; empty ones (and ones holding only comments) are dropped.
 */
export function splitStatements(sql: string, options: SplitOptions = {}): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const push = (end: number) => {
    const text = sql.slice(start, end).trim();
    if (hasCode && text) statements.push(text);
    hasCode = false;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      const escapes = (ch !== "`" && options.backslashEscapes === true) || (ch === "'" && isEscapeStringPrefix(sql, i));
      i = skipQuoted(sql, i, ch, escapes);
      hasCode = true;
    } else if (ch === "$" && dollarTagAt(sql, i)) {
      const tag = dollarTagAt(sql, i)!;
      const end = sql.indexOf(tag, i + tag.length);
      i = end === -1 ? sql.length : end + tag.length;
      hasCode = true;
    } else if (ch === ";") {
      push(i);
      start = i + 1;
      i++;
    } else {
      if (!/\s/.test(ch)) hasCode = true;
      i++;
    }
  }
  push(sql.length);
  return statements;
}

/** PostgreSQL's E'...' strings, where a backslash escapes the next character. */
function isEscapeStringPrefix(sql: string, quoteIndex: number): boolean {
  const prefix = sql[quoteIndex - 1];
  if (prefix !== "E" && prefix !== "e") return false;
  return quoteIndex < 2 || !/[A-Za-z0-9_$]/.test(sql[quoteIndex - 2]!);
}

/** Index just past a quoted run; a doubled quote (or, with `escapes`, a backslash escape) stays inside. */
function skipQuoted(sql: string, open: number, quote: string, escapes: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "\\" && escapes) {
      i += 2;
    } else if (ch === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** `$$` or `$tag$` starting at `i` (a tag is an identifier, so `$1` is a parameter, not a quote). */
function dollarTagAt(sql: string, i: number): string | undefined {
  const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
  if (!match) return undefined;
  // `a$b$` inside an identifier is not a dollar quote.
  if (i > 0 && /[A-Za-z0-9_]/.test(sql[i - 1]!)) return undefined;
  return match[0];
}
