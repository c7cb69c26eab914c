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
  | { kind: "none" }
  | { kind: "header"; header: AssetHeader }
  | { kind: "error"; line: number; message: string };

const OPENING = /^\/\*\s*@bruin/;
const CLOSING = /@bruin\s*\*\//;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Finds the header. A file whose first non-blank line does not open with
 * `/* @bruin` is not an asset (`none`), like any other SQL file lying around.
 */
export function splitAssetHeader(text: string): HeaderResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const firstNonBlank = body.search(/\S/);
  if (firstNonBlank < 0) return { kind: "none" };
  const rest = body.slice(firstNonBlank);
  const opening = OPENING.exec(rest);
  if (!opening) return { kind: "none" };

  const headerLine = lineOf(body, firstNonBlank);
  const yamlStart = firstNonBlank + opening[0].length;
  const closing = CLOSING.exec(body.slice(yamlStart));
  if (!closing) {
    return { kind: "error", line: headerLine, message: "the '/* @bruin' header is never closed with '@bruin */'" };
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
