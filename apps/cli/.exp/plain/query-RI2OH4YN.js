import {
  resolveInterval
} from "./chunk-WGXVX7CK.js";
import {
  displayValue,
  renderCsv,
  renderTable,
  toJson
} from "./chunk-7YWU7CID.js";
import {
  Printer,
  openSession,
  reportFatal,
  summarizeFailures
} from "./chunk-BE5S5HKE.js";
import {
  EXIT,
  UsageError
} from "./chunk-EBIUNHAN.js";

// src/commands/query.ts
import path from "node:path";
import { Redactor } from "@bruin-ts/secrets-core";
var LIMITABLE = /^\s*(select|with)\b/i;
async function queryCommand(options, io) {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    if (!["plain", "json", "csv"].includes(options.output)) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json, csv`);
    }
    if (options.limit !== void 0 && (!Number.isInteger(options.limit) || options.limit < 1)) {
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
      const sql = withLimit(target.sql, options.limit, adapter.dialect.name);
      const result = await adapter.query(sql);
      const rows = options.limit !== void 0 ? result.rows.slice(0, options.limit) : result.rows;
      const matrix = rows.map((row) => result.columns.map((column) => row[column]));
      if (options.output === "json") printer.out(toJson({ columns: result.columns, rows: matrix }));
      else if (options.output === "csv") printer.out(renderCsv(result.columns, matrix));
      else {
        printer.out(renderTable(result.columns, matrix.map((row) => row.map(displayValue))));
        printer.out(`${rows.length} row${rows.length === 1 ? "" : "s"}`);
      }
      return EXIT.ok;
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
async function queryTarget(options, io) {
  if (options.asset) {
    if (options.query) throw new UsageError("--asset and --query cannot be used together");
    const { loadPipeline, renderQuery, templateContext } = await import("@bruin-ts/pipeline");
    const { pipeline, selectedAsset } = await loadPipeline(path.resolve(io.cwd, options.asset));
    if (!selectedAsset) throw new UsageError(`--asset needs an asset file, got '${options.asset}'`);
    const interval = resolveInterval(options.startDate ?? io.env.BRUIN_START_DATE, options.endDate ?? io.env.BRUIN_END_DATE);
    const sql = renderQuery(
      selectedAsset,
      templateContext({ assetName: selectedAsset.name, pipelineName: pipeline.name, interval, variables: pipeline.variables })
    );
    return { connection: options.connection ?? selectedAsset.connection, sql, pipelineDir: pipeline.dir };
  }
  if (!options.connection || !options.query) {
    throw new UsageError("pass --connection and --query, or --asset");
  }
  return { connection: options.connection, sql: options.query };
}
function withLimit(sql, limit, dialect) {
  const trimmed = sql.trim().replace(/;\s*$/, "");
  if (limit === void 0 || !LIMITABLE.test(trimmed)) return trimmed;
  if (dialect === "mssql") return `SELECT TOP ${limit} * FROM (${trimmed}) AS bruin_query`;
  return `SELECT * FROM (${trimmed}) AS bruin_query LIMIT ${limit}`;
}
export {
  queryCommand
};
