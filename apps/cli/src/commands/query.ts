import path from "node:path";
import type { Dialect } from "@bruin-ts/connections";
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
      const result = await adapter.query(sql);
      if (result.columns.length === 0) {
        printStatementDone(printer, options.output, result.rowsAffected);
        return EXIT.ok;
      }
      const cut = options.limit !== undefined && result.rows.length > options.limit;
      const rows = options.limit !== undefined ? result.rows.slice(0, options.limit) : result.rows;
      const matrix = rows.map((row) => result.columns.map((column) => row[column]));
      const cutNote = `cut off at --limit ${options.limit}: the query returns more rows`;
      // Cells are masked before they are laid out, quoted or serialised, and the whole text again when printed.
      const mask = (text: string) => printer.mask(text);
      if (options.output === "json") {
        printer.out(
          toJson({
            columns: result.columns,
            rows: maskCells(matrix, mask),
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
function printStatementDone(printer: Printer, output: string, rowsAffected: number | undefined): void {
  const affected = rowsAffected === undefined ? "" : `, ${rowCount(rowsAffected)} affected`;
  if (output === "json")
    printer.out(
      toJson({ columns: [], rows: [], ...(rowsAffected === undefined ? {} : { rows_affected: rowsAffected }) }),
    );
  // CSV has nothing to hold: stdout stays empty, people see the outcome on stderr.
  else if (output === "csv") printer.err(`OK${affected}`);
  else printer.out(`OK${affected}`);
}

async function queryTarget(
  options: QueryOptions,
  io: CliIO,
): Promise<{ connection: string; sql: string; pipelineDir?: string }> {
  if (options.asset) {
    if (options.query) throw new UsageError("--asset and --query cannot be used together");
    const interval = intervalFrom(options, io.env);
    const { loadPipeline, renderQuery, templateContext } = await import("@bruin-ts/pipeline");
    const { pipeline, selectedAsset } = await loadPipeline(path.resolve(io.cwd, options.asset));
    if (!selectedAsset) throw new UsageError(`--asset needs an asset file, got '${options.asset}'`);
    const sql = renderQuery(
      selectedAsset,
      templateContext({
        assetName: selectedAsset.name,
        pipelineName: pipeline.name,
        interval,
        variables: pipeline.variables,
      }),
    );
    return { connection: options.connection ?? selectedAsset.connection, sql, pipelineDir: pipeline.dir };
  }
  if (!options.connection || !options.query) {
    throw new UsageError("pass --connection and --query, or --asset");
  }
  if (options.startDate !== undefined || options.endDate !== undefined) {
    throw new UsageError("--start-date and --end-date are for --asset templates; a --query is run as written");
  }
  return { connection: options.connection, sql: options.query };
}

/** Wraps a SELECT so the database stops after `limit` rows; other statements run as written. */
function withLimit(sql: string, limit: number | undefined, dialect: Dialect): string {
  const trimmed = sql.trim().replace(/;\s*$/, "");
  if (limit === undefined || !LIMITABLE.test(trimmed)) return trimmed;
  return dialect.limitRows(trimmed, limit);
}
