// The printed table: one section per bench, one line per figure.

/** Renders sections of rows ({figure, value, target, met}) as an aligned text table. */
export function renderTable(sections) {
  const header = { figure: "figure", value: "measured (median)", target: "target", status: "" };
  const lines = [];
  const all = sections.flatMap((section) => section.rows);
  const width = (key) => Math.max(header[key].length, ...all.map((row) => String(row[key] ?? "").length));
  const widths = { figure: width("figure") + 2, value: width("value"), target: width("target") };
  const line = (row) =>
    `${String(row.figure).padEnd(widths.figure)}  ${String(row.value).padEnd(widths.value)}  ${String(row.target).padEnd(widths.target)}  ${status(row)}`.trimEnd();
  lines.push(line({ ...header, met: undefined }));
  lines.push("-".repeat(widths.figure + widths.value + widths.target + 12));
  for (const section of sections) {
    lines.push(`${section.title}`);
    for (const row of section.rows) lines.push(line({ ...row, figure: `  ${row.figure}` }));
  }
  return lines.join("\n");
}

function status(row) {
  if (row.met === true) return "met";
  if (row.met === false) return "MISSED";
  return "";
}
