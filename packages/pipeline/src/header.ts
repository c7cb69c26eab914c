/** The `/* @bruin ... @bruin *\/` block at the top of a SQL asset, split from its query. */
export interface AssetHeader {
  /** The YAML between the markers. */
  yaml: string;
  /** 1-based line of the opening marker; line 1 of `yaml` is this line. */
  headerLine: number;
  /** The text after the closing marker. */
  query: string;
  /** 1-based line where `query` starts. */
  queryLine: number;
}

export type HeaderResult =
  { kind: "none" } | { kind: "header"; header: AssetHeader } | { kind: "error"; line: number; message: string };

/** The comment markers around the header: SQL block comments, or Python docstrings. */
export interface HeaderMarkers {
  opening: RegExp;
  closing: RegExp;
  /** How the opening marker is written, for messages. */
  open: string;
  close: string;
}

export const SQL_MARKERS: HeaderMarkers = {
  opening: /^\/\*\s*@bruin/,
  closing: /@bruin\s*\*\//,
  open: "/* @bruin",
  close: "@bruin */",
};
export const PYTHON_MARKERS: HeaderMarkers = {
  opening: /^("""|''')\s*@bruin/,
  closing: /@bruin\s*("""|''')/,
  open: '""" @bruin',
  close: '@bruin """',
};

/** R assets: the header is a string literal, `"@bruin` … `@bruin"`. */
export const R_MARKERS: HeaderMarkers = {
  opening: /^(["'])\s*@bruin/,
  closing: /@bruin\s*(["'])/,
  open: '"@bruin',
  close: '@bruin"',
};

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Finds the header. A file whose first non-blank line does not open with
 * `/* @bruin` is not an asset (`none`), like any other SQL file lying around.
 */
export function splitAssetHeader(text: string, markers: HeaderMarkers = SQL_MARKERS): HeaderResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const firstNonBlank = body.search(/\S/);
  if (firstNonBlank < 0) return { kind: "none" };
  const rest = body.slice(firstNonBlank);
  const opening = markers.opening.exec(rest);
  if (!opening) return { kind: "none" };

  const headerLine = lineOf(body, firstNonBlank);
  const yamlStart = firstNonBlank + opening[0].length;
  const closing = markers.closing.exec(body.slice(yamlStart));
  if (!closing) {
    return {
      kind: "error",
      line: headerLine,
      message: `the '${markers.open}' header is never closed with '${markers.close}'`,
    };
  }
  const yamlEnd = yamlStart + closing.index;
  const queryStart = yamlEnd + closing[0].length;
  return {
    kind: "header",
    header: {
      yaml: body.slice(yamlStart, yamlEnd),
      headerLine,
      query: body.slice(queryStart),
      queryLine: lineOf(body, queryStart),
    },
  };
}
