import type { ConnectionAdapter } from "@bruin-ts/connections";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { engineForDialect } from "../engines/index.js";
import type { AnsiEngine } from "../engines/ansi.js";
import { materializeAsset } from "../materialize.js";
import type { Asset } from "../model.js";
import { siblingName } from "../names.js";

import type { ValueKind } from "../engines/engine.js";

/** The kinds of value the Python runner reports for a column. */
export type { ValueKind } from "../engines/engine.js";

/** Rows per INSERT statement, and the statement size that flushes a batch sooner. */
const BATCH_ROWS = 1000;
const BATCH_CHARS = 1 << 20;
/** DuckDB reads batches of JSON lines from a scratch file with read_json: this many rows per file. */
const DUCKDB_BATCH_ROWS = 25_000;
const DUCKDB_BATCH_CHARS = 8 << 20;

/** The column type a kind of value is stored as on an engine (its engine module says). */
export function columnType(engine: AnsiEngine, kind: ValueKind): string {
  return engine.valueType(kind);
}

/** One value as an SQL literal. */
export function sqlLiteral(engine: AnsiEngine, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "string") return engine.textValueLiteral(value);
  return engine.stringLiteral(JSON.stringify(value));
}

/**
 * The JSON text with every integer JavaScript cannot hold exactly (beyond
 * 2^53) turned into a string, so JSON.parse keeps all its digits; strings in
 * the text are left as they are.
 */
export function quoteBigIntegers(json: string): string {
  let out = "";
  let from = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== "-" && (c < "0" || c > "9")) continue;
    let end = i + 1;
    while (end < json.length && /[0-9.eE+-]/.test(json[end]!)) end++;
    const token = json.slice(i, end);
    if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
      out += `${json.slice(from, i)}"${token}"`;
      from = end;
    }
    i = end - 1;
  }
  return from === 0 ? json : out + json.slice(from);
}

/** Splits a byte stream into lines, without holding more than one chunk and one partial line. */
export async function* readLines(stream: Readable): AsyncGenerator<string> {
  stream.setEncoding("utf8");
  let rest = "";
  for await (const chunk of stream as AsyncIterable<string>) {
    rest += chunk;
    let at = rest.indexOf("\n");
    let from = 0;
    while (at >= 0) {
      yield rest.slice(from, at);
      from = at + 1;
      at = rest.indexOf("\n", from);
    }
    rest = rest.slice(from);
  }
  if (rest !== "") yield rest;
}

/** The runner's stream ended before its last line: the Python side failed, and says why on its own. */
export class IncompleteRowsError extends Error {
  constructor() {
    super("the Python runner stopped before sending all rows");
    this.name = "IncompleteRowsError";
  }
}

export interface LoadStats {
  rows: number;
  /** The Python process's peak resident memory, as it reported it (KiB). */
  childMaxRssKb?: number;
}

/**
 * One value as a field of PostgreSQL's CSV `COPY` format: NULL is an unquoted
 * empty field; text (and JSON) is always quoted, with `"` doubled, so an empty
 * string, a lone `\.`, commas, newlines and backslashes arrive as they are;
 * integers beyond 2^53 arrive as their digits (the column's type reads them).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `"${text.replaceAll('"', '""')}"`;
}

/** Characters of CSV text per chunk handed to COPY. */
const COPY_CHUNK_CHARS = 256 << 10;

type Columns = Array<[string, ValueKind]>;
type DataRow = { line: string; row: Record<string, unknown> };

/**
 * Loads the rows the Python runner streams (see python/bruin_runner.py) into
 * the asset's table: into a staging table beside it, by the engine's bulk
 * path (PostgreSQL `COPY … FROM STDIN` in CSV, DuckDB `read_json` of scratch
 * files, multi-row INSERTs elsewhere), then the asset's materialization
 * strategy from that staging table, through the engine module's own SQL
 * (atomic replace, merge, delete+insert, append), then the staging table is
 * dropped. At most one batch of rows is in memory at a time. Column types
 * come from `columns:` where given, from the values otherwise.
 */
export async function loadRowStream(
  lines: AsyncIterable<string>,
  adapter: ConnectionAdapter,
  asset: Asset,
  options: { fullRefresh?: boolean } = {},
): Promise<LoadStats> {
  const engine = engineForDialect(adapter.dialect);
  const declared = new Map(asset.columns.filter((c) => c.type).map((c) => [c.name, c.type!]));
  const input = lines[Symbol.asyncIterator]();
  let end: { rows?: number; maxrss_kb?: number } | undefined;
  let rows = 0;
  let columns: Columns | undefined;

  /** The lines before the first row: `#columns` (or `#end` for an empty result). */
  for (;;) {
    const next = await input.next();
    if (next.done) throw new IncompleteRowsError();
    const line = next.value;
    if (line.trim() === "") continue;
    if (line.startsWith("#end ")) {
      end = JSON.parse(line.slice(5)) as typeof end;
      break;
    }
    if (!line.startsWith("#columns ")) throw new Error("the Python runner sent rows before their columns");
    columns = JSON.parse(line.slice(9)) as Columns;
    break;
  }

  /** The rows that follow, parsed, until `#end`. */
  async function* dataRows(known: ReadonlySet<string>): AsyncGenerator<DataRow> {
    for (;;) {
      const next = await input.next();
      if (next.done) return;
      const line = next.value;
      if (line.startsWith("#end ")) {
        end = JSON.parse(line.slice(5)) as typeof end;
        continue;
      }
      if (line.trim() === "" || line.startsWith("#columns ")) continue;
      // Big integers stay exact: sent as text, the column's type takes them back.
      const row = JSON.parse(/\d{16}/.test(line) ? quoteBigIntegers(line) : line) as Record<string, unknown>;
      for (const key of Object.keys(row)) {
        if (!known.has(key)) {
          throw new Error(
            `row ${rows + 1} has a column '${key}' the first rows did not have; every column must appear in the first 1000 rows`,
          );
        }
      }
      rows++;
      yield { line, row };
    }
  }

  let staging: string | undefined;
  let scratchDir: string | undefined;
  try {
    if (columns && columns.length > 0) {
      staging = siblingName(asset.name, "__bruin_rows_");
      await engine.ensureParent(adapter, asset.name);
      const defs = columns.map(
        ([name, kind]) => `${engine.quoteIdent(name)} ${declared.get(name) ?? columnType(engine, kind)}`,
      );
      await adapter.exec(`CREATE TABLE ${engine.quoteTable(staging)} (${defs.join(", ")})`);
      const list = columns.map(([name]) => engine.quoteIdent(name)).join(", ");
      const source = dataRows(new Set(columns.map(([name]) => name)));
      if (adapter.copyFrom && engine.copyFromCsv) {
        await adapter.copyFrom(engine.copyFromCsv(staging, list), csvChunks(source, columns));
      } else if (
        engine.capabilities.jsonLinesLoad &&
        engine.insertFromJsonLines &&
        columns.every(([, kind]) => kind !== "json")
      ) {
        scratchDir = mkdtempSync(path.join(tmpdir(), "bruin-rows-"));
        const file = path.join(scratchDir, "batch.jsonl");
        const types = columns.map(([name, kind]) => [name, declared.get(name) ?? columnType(engine, kind)] as const);
        await loadJsonLines(source, adapter, file, engine.insertFromJsonLines(staging, list, file, types));
      } else {
        await loadInserts(
          source,
          adapter,
          engine,
          columns,
          `INSERT INTO ${engine.quoteTable(staging)} (${list}) VALUES\n`,
        );
      }
      if (!end) throw new IncompleteRowsError();
      await materializeAsset(adapter, asset, `SELECT ${list} FROM ${engine.quoteTable(staging)}`, options);
    } else {
      // An empty result: nothing to load, and the runner's last line still ends the stream.
      for await (const _ of dataRows(new Set())) void _;
      if (!end) throw new IncompleteRowsError();
    }
    return { rows, ...(end.maxrss_kb !== undefined ? { childMaxRssKb: end.maxrss_kb } : {}) };
  } finally {
    if (staging) await adapter.exec(`DROP TABLE IF EXISTS ${engine.quoteTable(staging)}`).catch(() => undefined);
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  }
}

/** The rows as CSV text for COPY, in chunks of about COPY_CHUNK_CHARS. */
async function* csvChunks(source: AsyncIterable<DataRow>, columns: Columns): AsyncGenerator<string> {
  const names = columns.map(([name]) => name);
  let chunk = "";
  for await (const { row } of source) {
    chunk += names.map((name) => csvField(row[name])).join(",") + "\n";
    if (chunk.length >= COPY_CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/** DuckDB's bulk path: the JSON lines as they came, a file at a time, read back by read_json. */
async function loadJsonLines(
  source: AsyncIterable<DataRow>,
  adapter: ConnectionAdapter,
  file: string,
  statement: string,
): Promise<void> {
  let batch: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    writeFileSync(file, batch.join("\n"));
    batch = [];
    chars = 0;
    await adapter.exec(statement);
  };
  for await (const { line } of source) {
    batch.push(line);
    chars += line.length;
    if (batch.length >= DUCKDB_BATCH_ROWS || chars >= DUCKDB_BATCH_CHARS) await flush();
  }
  await flush();
}

/** Multi-row INSERTs of up to BATCH_ROWS rows (or BATCH_CHARS of SQL). */
async function loadInserts(
  source: AsyncIterable<DataRow>,
  adapter: ConnectionAdapter,
  engine: AnsiEngine,
  columns: Columns,
  head: string,
): Promise<void> {
  let batch: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const sql = `${head}${batch.join(",\n")}`;
    batch = [];
    chars = 0;
    await adapter.exec(sql);
  };
  for await (const { row } of source) {
    const tuple = `(${columns.map(([name]) => sqlLiteral(engine, row[name])).join(", ")})`;
    batch.push(tuple);
    chars += tuple.length;
    if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
  }
  await flush();
}
