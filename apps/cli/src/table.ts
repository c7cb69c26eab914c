/**
 * Plain-text and CSV renderings of rows, for `connections list` and `query`.
 *
 * `mask` (the printer's) is applied to every header and cell before the
 * columns are measured, so a column is as wide as what is printed in it: a
 * width never tells a secret's length. The printer masks the whole table again
 * when it prints it.
 */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  mask: (text: string) => string = (text) => text,
): string {
  const maskedHeaders = headers.map(mask);
  const maskedRows = rows.map((row) => row.map((cell) => mask(cell ?? "")));
  return layOut(maskedHeaders, maskedRows);
}

function layOut(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  // Not Math.max(...cells): a spread of a million rows overflows the stack.
  const widths = headers.map((header, column) =>
    rows.reduce((width, row) => Math.max(width, (row[column] ?? "").length), header.length),
  );
  const line = `+${widths.map((width) => "-".repeat(width + 2)).join("+")}+`;
  const format = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (cell ?? "").padEnd(widths[column]!)).join(" | ")} |`;
  return [line, format(headers), line, ...rows.map(format), line].join("\n");
}

/**
 * `mask` is applied to each cell before it is quoted (a cell holding a JSON
 * document with a secret in it, say); the printer masks the whole text again,
 * where the quoted form (`"` doubled) of each secret is registered.
 */
export function renderCsv(
  headers: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
  mask: (text: string) => string = (text) => text,
): string {
  const cell = (value: unknown) => {
    // An empty field is how CSV readers expect NULL.
    const text = value === null ? "" : mask(displayValue(value));
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [headers.map(cell).join(","), ...rows.map((row) => row.map(cell).join(","))].join("\n");
}

/** A value as a cell shows it: NULL for null, ISO for dates, JSON for objects. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return value === null ? "NULL" : "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * Rows with every string cell masked, for JSON output: the printer masks the
 * serialised text again, where the JSON-escaped forms of each secret are
 * registered; this catches a secret in any other form inside a cell.
 */
export function maskCells(rows: ReadonlyArray<readonly unknown[]>, mask: (text: string) => string): unknown[][] {
  return rows.map((row) => row.map((value) => (typeof value === "string" ? mask(value) : value)));
}

/** JSON that survives BigInt and Date values. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? item.toString() : item), 2);
}
