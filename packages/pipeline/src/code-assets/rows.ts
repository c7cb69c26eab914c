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
 * Loads the rows the Python runner streams (see python/bruin_runner.py) into
 * the asset's table: batches of multi-row INSERTs into a staging table beside
 * it, then the asset's materialization strategy from that staging table,
 * through the engine module's own SQL (atomic replace, merge, delete+insert,
 * append), then the staging table is dropped. At most one batch of rows is in
 * memory at a time. Column types come from `columns:` where given, from the
 * values otherwise.
 */
export async function loadRowStream(
  lines: AsyncIterable<string>,
  adapter: ConnectionAdapter,
  asset: Asset,
  options: { fullRefresh?: boolean } = {},
): Promise<LoadStats> {
  const engine = engineForDialect(adapter.dialect);
  const declared = new Map(asset.columns.filter((c) => c.type).map((c) => [c.name, c.type!]));
  let columns: Array<[string, ValueKind]> | undefined;
  let staging: string | undefined;
  let end: { rows?: number; maxrss_kb?: number } | undefined;
  let rows = 0;
  let batch: string[] = [];
  let batchChars = 0;
  let insertHead = "";
  let known = new Set<string>();
  // DuckDB's bulk path: the JSON lines as they came, read back by read_json (JSON values need the other path).
  let jsonFile: string | undefined;
  let scratchDir: string | undefined;
  let readJson = "";

  const flush = async () => {
    if (batch.length === 0) return;
    if (jsonFile) writeFileSync(jsonFile, batch.join("\n"));
    const sql = jsonFile ? readJson : `${insertHead}${batch.join(",\n")}`;
    batch = [];
    batchChars = 0;
    await adapter.exec(sql);
  };

  try {
    for await (const line of lines) {
      if (line.startsWith("#columns ")) {
        columns = JSON.parse(line.slice(9)) as Array<[string, ValueKind]>;
        known = new Set(columns.map(([name]) => name));
        if (columns.length === 0) continue;
        staging = siblingName(asset.name, "__bruin_rows_");
        await engine.ensureParent(adapter, asset.name);
        const defs = columns.map(
          ([name, kind]) => `${engine.quoteIdent(name)} ${declared.get(name) ?? columnType(engine, kind)}`,
        );
        await adapter.exec(`CREATE TABLE ${engine.quoteTable(staging)} (${defs.join(", ")})`);
        const list = columns.map(([name]) => engine.quoteIdent(name)).join(", ");
        insertHead = `INSERT INTO ${engine.quoteTable(staging)} (${list}) VALUES\n`;
        if (
          engine.capabilities.jsonLinesLoad &&
          engine.insertFromJsonLines &&
          columns.every(([, kind]) => kind !== "json")
        ) {
          scratchDir = mkdtempSync(path.join(tmpdir(), "bruin-rows-"));
          jsonFile = path.join(scratchDir, "batch.jsonl");
          const types = columns.map(([name, kind]) => [name, declared.get(name) ?? columnType(engine, kind)] as const);
          readJson = engine.insertFromJsonLines(staging, list, jsonFile, types);
        }
        continue;
      }
      if (line.startsWith("#end ")) {
        end = JSON.parse(line.slice(5)) as typeof end;
        continue;
      }
      if (line.trim() === "") continue;
      if (!columns) throw new Error("the Python runner sent rows before their columns");
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
      if (jsonFile) {
        batch.push(line);
        batchChars += line.length;
        if (batch.length >= DUCKDB_BATCH_ROWS || batchChars >= DUCKDB_BATCH_CHARS) await flush();
        continue;
      }
      const tuple = `(${columns.map(([name]) => sqlLiteral(engine, row[name])).join(", ")})`;
      batch.push(tuple);
      batchChars += tuple.length;
      if (batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) await flush();
    }
    await flush();
    if (!end) throw new IncompleteRowsError();
    if (staging) {
      const list = columns!.map(([name]) => engine.quoteIdent(name)).join(", ");
      await materializeAsset(adapter, asset, `SELECT ${list} FROM ${engine.quoteTable(staging)}`, options);
    }
    return { rows, ...(end.maxrss_kb !== undefined ? { childMaxRssKb: end.maxrss_kb } : {}) };
  } finally {
    if (staging) await adapter.exec(`DROP TABLE IF EXISTS ${engine.quoteTable(staging)}`).catch(() => undefined);
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  }
}
