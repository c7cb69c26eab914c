/** Reading SQL text without a parser: tokens, names, and Jinja set aside. */

/** The query with Jinja comments and tags removed and each `{{ … }}` replaced by the name `__template__`. */
export function stripTemplates(query: string): string {
  return query
    .replace(/\{#[\s\S]*?#\}/g, " ")
    .replace(/\{%[\s\S]*?%\}/g, " ")
    .replace(/\{\{[\s\S]*?\}\}/g, " __template__ ");
}

/** Words, quoted names, strings, numbers and single punctuation; comments dropped. */
export function tokenize(sql: string): string[] {
  const pattern =
    /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?|::|\S/g;
  const tokens: string[] = [];
  for (const match of sql.matchAll(pattern)) {
    const token = match[0];
    if (token.startsWith("--") || token.startsWith("/*")) continue;
    tokens.push(token);
  }
  return tokens;
}

/** A name as written, unquoted; undefined for anything that is not a name. */
export function identifier(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(token)) return token;
  if (/^".+"$/.test(token)) return token.slice(1, -1).replace(/""/g, '"');
  if (/^`.+`$/.test(token) || /^\[.+\]$/.test(token)) return token.slice(1, -1);
  return undefined;
}
