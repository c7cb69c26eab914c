// src/table.ts
function renderTable(headers, rows) {
  const widths = headers.map(
    (header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = `+${widths.map((width) => "-".repeat(width + 2)).join("+")}+`;
  const format = (cells) => `| ${cells.map((cell, column) => (cell ?? "").padEnd(widths[column])).join(" | ")} |`;
  return [line, format(headers), line, ...rows.map(format), line].join("\n");
}
function renderCsv(headers, rows) {
  const cell = (value) => {
    const text = value === null ? "" : displayValue(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [headers.map(cell).join(","), ...rows.map((row) => row.map(cell).join(","))].join("\n");
}
function displayValue(value) {
  if (value === null || value === void 0) return value === null ? "NULL" : "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
function toJson(value) {
  return JSON.stringify(value, (_key, item) => typeof item === "bigint" ? item.toString() : item, 2);
}

export {
  renderTable,
  renderCsv,
  displayValue,
  toJson
};
