import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { ConnectionAdapter, Dialect, QueryResult } from "@bruin-ts/connections";
import type { Asset } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { summarizeFailures } from "../connections.js";
import { EXIT, UsageError } from "../errors.js";
import { intervalFrom } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { openSession, reportFatal, type BackendFlags } from "../session.js";
import { displayValue, maskCells, renderCsv, renderTable, toJson } from "../table.js";

export interface QueryOptions extends BackendFlags {
  connection?: string | undefined;
  query?: string | undefined;
  asset?: string | undefined;
  output: string;
  limit?: number | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  /** `--var`: pipeline variables for the templates (key=value, dot-nested keys, or JSON objects). */
  vars?: string[] | undefined;
  /** `--export FILE.csv`: write the rows to a CSV file instead of printing them. */
  export?: string | undefined;
  /** `--split-rows N`: with --export, at most N rows a file (FILE_1.csv, FILE_2.csv, …). */
  splitRows?: number | undefined;
  /** `--timeout`: seconds before the query is cancelled on its engine. */
  timeout?: number | undefined;
  /** `--pipeline`: with --connection and --query, the pipeline whose variables, name and config the query uses. */
  pipeline?: string | undefined;
}

const LIMITABLE = /^\s*(select|with)\b/i;

/**
 * `bruin query`: one query on one connection (`--connection` and `--query`), or
 * an asset's rendered query on the asset's connection (`--asset`).
 */
export async function queryCommand(options: QueryOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    if (!["plain", "json", "csv"].includes(options.output)) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json, csv`);
    }
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
      throw new UsageError(`--limit must be a positive whole number`);
    }
    if (options.splitRows !== undefined && options.export === undefined) {
      throw new UsageError("--split-rows needs --export FILE.csv");
    }
    if (options.splitRows !== undefined && (!Number.isInteger(options.splitRows) || options.splitRows < 1)) {
      throw new UsageError("--split-rows must be a positive whole number");
    }
    if (options.timeout !== undefined && !(options.timeout > 0)) {
      throw new UsageError("--timeout must be a positive number of seconds");
    }
    if (options.export !== undefined && options.output !== "plain") {
      throw new UsageError("--export writes CSV files; it takes no -o");
    }
    const target = await queryTarget(options, io);
    const session = await openSession(options, io, printer, target.pipelineDir);
    try {
      const failures = await session.connections.resolveAll([target.connection]);
      if (failures.length > 0) {
        const { lines, exitCode } = summarizeFailures(failures);
        for (const line of lines) printer.err(`Error: ${line}`);
        return exitCode;
      }
      const adapter = await session.connections.open(target.connection);
      // One row past the limit tells whether the limit cut anything off.
      const sql = withLimit(target.sql, options.limit === undefined ? undefined : options.limit + 1, adapter.dialect);
      const result = await queryWithin(adapter, sql, options.timeout);
      const about = { connectionName: target.connection, query: target.sql };
      if (result.columns.length === 0) {
        printStatementDone(printer, options.output, result.rowsAffected, about);
        return EXIT.ok;
      }
      const cut = options.limit !== undefined && result.rows.length > options.limit;
      const rows = options.limit !== undefined ? result.rows.slice(0, options.limit) : result.rows;
      const matrix = rows.map((row) => result.columns.map((column) => row[column]));
      const cutNote = `cut off at --limit ${options.limit}: the query returns more rows`;
      // Cells are masked before they are laid out, quoted or serialised, and the whole text again when printed.
      const mask = (text: string) => printer.mask(text);
      if (options.export !== undefined) {
        const files = await exportCsv(options.export, options.splitRows, result.columns, matrix, mask, io);
        printer.out(`Exported ${rowCount(rows.length)} to ${files.join(", ")}${cut ? ` (${cutNote})` : ""}`);
      } else if (options.output === "json") {
        printer.out(
          toJson({
            // The reference's shape: typed columns, rows as arrays, then the connection and the query run.
            columns: result.columns.map((name, index) => ({ name, type: result.columnTypes?.[index] ?? "UNKNOWN" })),
            rows: maskCells(matrix, mask),
            ...about,
            ...(options.limit !== undefined ? { truncated: cut } : {}),
          }),
        );
      } else if (options.output === "csv") {
        printer.out(renderCsv(result.columns, matrix, mask));
        if (cut) printer.err(`Note: ${cutNote}`);
      } else {
        printer.out(
          renderTable(
            result.columns,
            matrix.map((row) => row.map(displayValue)),
            mask,
          ),
        );
        printer.out(`${rowCount(rows.length)}${cut ? ` (${cutNote})` : ""}`);
      }
      return EXIT.ok;
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}

function rowCount(count: number): string {
  return `${count} row${count === 1 ? "" : "s"}`;
}

/**
 * A statement without a result set (DDL, INSERT/UPDATE/DELETE): `OK`, with
 * the rows it changed where the engine says, rather than an empty table.
 */
function printStatementDone(
  printer: Printer,
  output: string,
  rowsAffected: number | undefined,
  about: { connectionName: string; query: string },
): void {
  const affected = rowsAffected === undefined ? "" : `, ${rowCount(rowsAffected)} affected`;
  if (output === "json")
    printer.out(
      toJson({
        columns: [],
        rows: [],
        ...about,
        ...(rowsAffected === undefined ? {} : { rows_affected: rowsAffected }),
      }),
    );
  // CSV has nothing to hold: stdout stays empty, people see the outcome on stderr.
  else if (output === "csv") printer.err(`OK${affected}`);
  else printer.out(`OK${affected}`);
}

/** Runs `sql`, cancelling it on its engine when `timeout` seconds pass first. */
async function queryWithin(adapter: ConnectionAdapter, sql: string, timeout: number | undefined): Promise<QueryResult> {
  const running = adapter.query(sql);
  if (timeout === undefined) return running;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"expired">((resolve) => {
    timer = setTimeout(() => resolve("expired"), timeout * 1000);
  });
  try {
    const outcome = await Promise.race([running, expired]);
    if (outcome !== "expired") return outcome;
  } finally {
    clearTimeout(timer);
  }
  // The engine stops the statement; its rejection is the expected end of it.
  running.catch(() => undefined);
  await adapter.cancel?.();
  await running.catch(() => undefined);
  throw new Error(`the query did not finish within --timeout ${timeout}s and was cancelled`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `b` over `a`, objects merged key by key (arrays and other values replaced). */
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

/** `{"a.b": 1}` → `{"a": {"b": 1}}`: a dotted `--var` key names a field inside an object variable. */
function nestDotted(values: Record<string, unknown>): Record<string, unknown> {
  let nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split(".");
    if (parts.some((part) => part === "")) throw new UsageError(`--var key '${key}' has an empty part`);
    const single = parts.reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>;
    nested = deepMerge(nested, single);
  }
  return nested;
}

/** `out.csv` → `out_3.csv`: the name of the n-th file of a split export. */
function splitName(file: string, index: number): string {
  const extension = path.extname(file);
  return `${file.slice(0, file.length - extension.length)}_${index}${extension}`;
}

/** Writes the rows as CSV (header in each file), split every `splitRows` rows; returns the files written. */
async function exportCsv(
  file: string,
  splitRows: number | undefined,
  columns: readonly string[],
  matrix: unknown[][],
  mask: (text: string) => string,
  io: CliIO,
): Promise<string[]> {
  const chunks: unknown[][][] = [];
  if (splitRows === undefined) chunks.push(matrix);
  else
    for (let start = 0; start < matrix.length || start === 0; start += splitRows)
      chunks.push(matrix.slice(start, start + splitRows));
  const names = chunks.map((_, index) => (splitRows === undefined ? file : splitName(file, index + 1)));
  for (const [index, chunk] of chunks.entries()) {
    await writeFile(path.resolve(io.cwd, names[index] ?? file), `${renderCsv(columns, chunk, mask)}\n`);
  }
  return names;
}

async function queryTarget(
  options: QueryOptions,
  io: CliIO,
): Promise<{ connection: string; sql: string; pipelineDir?: string }> {
  const templated = options.vars !== undefined || options.startDate !== undefined || options.endDate !== undefined;
  if (options.asset) {
    if (options.pipeline !== undefined)
      throw new UsageError("--pipeline goes with --connection and --query: --asset names its own pipeline");
    const interval = intervalFrom(options, io.env);
    const lib = await import("@bruin-ts/pipeline");
    const { pipeline, selectedAsset } = await lib.loadPipeline(path.resolve(io.cwd, options.asset));
    if (!selectedAsset) throw new UsageError(`--asset needs an asset file, got '${options.asset}'`);
    const overrides = nestDotted(lib.parseVarFlags(options.vars ?? [], io.env.BRUIN_VARS));
    // `--var limits.low=5` changes one field of an object variable: the rest keeps the pipeline's default.
    lib.resolveVariables(pipeline, overrides);
    const variables = deepMerge(lib.resolveVariables(pipeline), overrides);
    await lib.checkVariableTypes(
      pipeline,
      Object.fromEntries(Object.keys(overrides).map((key) => [key, variables[key]])),
    );
    const context = lib.templateContext({
      assetName: selectedAsset.name,
      pipelineName: pipeline.name,
      interval,
      variables,
    });
    // With --query, the asset gives the connection and the template context; the query is the one given.
    const sql = lib.renderQuery(
      options.query === undefined ? selectedAsset : { ...selectedAsset, query: options.query, queryLine: 1 },
      context,
    );
    return { connection: options.connection ?? selectedAsset.connection, sql, pipelineDir: pipeline.dir };
  }
  if (!options.connection || !options.query) {
    throw new UsageError("pass --connection and --query, or --asset");
  }
  if (!templated && options.pipeline === undefined) return { connection: options.connection, sql: options.query };
  // With --var, dates or --pipeline, the query is a template: the interval's dates and `var` are what a
  // pipeline's queries see; --pipeline adds that pipeline's variables and name, and its config file.
  const lib = await import("@bruin-ts/pipeline");
  const overrides = nestDotted(lib.parseVarFlags(options.vars ?? [], io.env.BRUIN_VARS));
  let variables = overrides;
  let pipelineName = "";
  let pipelineDir: string | undefined;
  if (options.pipeline !== undefined) {
    const { pipeline, selectedAsset } = await lib.loadPipeline(path.resolve(io.cwd, options.pipeline));
    if (selectedAsset)
      throw new UsageError(`--pipeline needs a pipeline folder or pipeline.yml, got '${options.pipeline}'`);
    lib.resolveVariables(pipeline, overrides);
    variables = deepMerge(lib.resolveVariables(pipeline), overrides);
    await lib.checkVariableTypes(
      pipeline,
      Object.fromEntries(Object.keys(overrides).map((key) => [key, variables[key]])),
    );
    pipelineName = pipeline.name;
    pipelineDir = pipeline.dir;
  }
  const context = lib.templateContext({
    assetName: "",
    pipelineName,
    interval: intervalFrom(options, io.env),
    variables,
  });
  const where = { name: "query", path: path.join(io.cwd, "--query"), query: options.query, queryLine: 1 };
  const sql = lib.renderQuery(where as Asset, context);
  return { connection: options.connection, sql, ...(pipelineDir === undefined ? {} : { pipelineDir }) };
}

/** Wraps a SELECT so the database stops after `limit` rows; other statements run as written. */
function withLimit(sql: string, limit: number | undefined, dialect: Dialect): string {
  const trimmed = sql.trim().replace(/;\s*$/, "");
  if (limit === undefined || !LIMITABLE.test(trimmed)) return trimmed;
  return dialect.limitRows(trimmed, limit);
}
