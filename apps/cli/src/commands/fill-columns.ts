import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Asset, Pipeline } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { Printer, type CliIO } from "../io.js";
import { appendToDefinitionList } from "../patch/definitions.js";
import { openSession, reportFatal, type BackendFlags, type Session } from "../session.js";

export interface FillColumnsOptions extends BackendFlags {
  path?: string | undefined;
  output: string;
}

type Status = "updated" | "skipped" | "failed";

/** Columns the SCD2 strategy adds to a table: never listed as the asset's own. */
const SKIPPED_COLUMNS = new Set(["_is_current", "_valid_until", "_valid_from"]);

/** The keys `columns:` goes after when an asset has none yet, latest first (the reference's key order). */
const BEFORE_COLUMNS = [
  "extends",
  "secrets",
  "parameters",
  "tier",
  "owner",
  "instance",
  "image",
  "depends",
  "materialization",
  "meta",
  "domains",
  "tags",
  "connection",
  "start_date",
  "description",
  "type",
  "name",
];

function message(error: unknown): string {
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0) return issues.map(String).join("\n");
  return error instanceof Error ? error.message : String(error);
}

/** The table's columns and their types, as the asset's connection reports them for `SELECT * … LIMIT 0`. */
async function tableColumns(session: Session, asset: Asset): Promise<{ name: string; type: string }[]> {
  let adapter;
  try {
    adapter = await session.connections.open(asset.connection);
  } catch (error) {
    throw new Error(`failed to get connection for asset '${asset.name}': ${message(error)}`);
  }
  let result;
  try {
    result = await adapter.query(adapter.dialect.limitRows(`SELECT * FROM ${asset.name}`, 0));
  } catch (error) {
    throw new Error(`failed to query columns for asset '${asset.name}': ${message(error)}`);
  }
  if (result.columns.length === 0) {
    throw new Error(`no columns found for asset '${asset.name}' (table may not exist)`);
  }
  return result.columns.map((name, index) => ({ name, type: result.columnTypes?.[index] ?? "" }));
}

/**
 * Adds the table's columns the asset does not declare yet (compared without
 * case) to its `columns:`, each with its name and type; what is declared is
 * kept as written. `skipped` when there is nothing to add.
 */
async function fillAsset(session: Session, asset: Asset): Promise<Status> {
  const found = (await tableColumns(session, asset)).filter((column) => !SKIPPED_COLUMNS.has(column.name));
  const declared = new Set(asset.columns.map((column) => column.name.toLowerCase()));
  const added = found.filter((column) => !declared.has(column.name.toLowerCase()));
  if (added.length === 0) return "skipped";

  const items = added.map((column) => (column.type === "" ? { name: column.name } : column));
  await appendToDefinitionList(asset.path, "columns", items, BEFORE_COLUMNS);
  return "updated";
}

/**
 * `bruin patch fill-columns-from-db PATH`: adds to each asset's `columns` the
 * columns its table has in the database (through the asset's connection)
 * and the asset does not declare yet. PATH: one asset file, or a pipeline.
 */
export async function fillColumnsFromDbCommand(options: FillColumnsOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  if (!["plain", "json"].includes(options.output)) {
    throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
  }
  const json = options.output === "json";
  const report = (text: string) => {
    if (json) printer.out(JSON.stringify({ error: text }));
    else printer.err(text);
    return EXIT.failed;
  };
  if (!options.path) return report("please provide a path to an asset or a pipeline");
  const given = path.resolve(io.cwd, options.path);
  const lib = await import("@bruin-ts/pipeline");
  let loaded: { pipeline: Pipeline; selectedAsset?: Asset };
  try {
    loaded = await lib.loadPipeline(given);
  } catch (error) {
    return report(`failed to build pipeline at '${options.path}': ${message(error)}`);
  }
  const { pipeline, selectedAsset } = loaded;
  const isFile = existsSync(given) && statSync(given).isFile() && given !== pipeline.file;
  if (isFile && selectedAsset === undefined) {
    return report(`the given file path doesn't seem to be a Bruin asset definition: '${options.path}'`);
  }
  try {
    const session = await openSession(options, io, printer, pipeline.dir);
    try {
      if (isFile) {
        const asset = selectedAsset!;
        let status: Status;
        try {
          status = await fillAsset(session, asset);
        } catch (error) {
          return report(`failed to fill columns from DB for asset '${asset.name}': ${message(error)}`);
        }
        // The reference's document, as it prints it.
        if (json) printer.out(`{"status": "${status}", "asset Name": "${asset.name}'"}`);
        else if (status === "updated") printer.out(`Columns filled from DB for asset '${asset.name}'`);
        else printer.out(`No changes needed for asset '${asset.name}'`);
        return EXIT.ok;
      }
      const updated: string[] = [];
      const skipped: string[] = [];
      const failed = new Map<string, string>();
      for (const asset of pipeline.assets) {
        try {
          ((await fillAsset(session, asset)) === "updated" ? updated : skipped).push(asset.name);
        } catch (error) {
          failed.set(asset.name, message(error));
        }
      }
      const status =
        failed.size > 0 ? (updated.length === 0 ? "failed" : "partial") : updated.length === 0 ? "skipped" : "success";
      if (json) {
        printer.out(
          JSON.stringify({
            failed_assets: failed.size,
            processed_assets: pipeline.assets.length,
            skipped_assets: skipped.length,
            status,
            updated_assets: updated.length,
          }),
        );
        return status === "failed" ? EXIT.failed : EXIT.ok;
      }
      switch (status) {
        case "failed":
          printer.err(`Failed to fill columns from DB for ${failed.size} assets:`);
          for (const [name, problem] of failed) printer.err(`- '${name}': ${problem}`);
          if (skipped.length > 0) {
            printer.err(`\n No changes required for ${skipped.length} assets:`);
            for (const name of skipped) printer.err(`- ${name}`);
          }
          return EXIT.failed;
        case "skipped":
          printer.out(`No changes needed for pipeline '${pipeline.name}': ${skipped.length} assets skipped`);
          return EXIT.ok;
        case "success":
          printer.out(`Successfully updated all ${updated.length} assets in pipeline '${pipeline.name}'`);
          return EXIT.ok;
        default:
          printer.out(`Partially updated pipeline '${pipeline.name}':`);
          printer.out(`Successfully updated ${updated.length} assets:`);
          for (const name of updated) printer.out(`- ${name}`);
          if (skipped.length > 0) {
            printer.out(`\nSkipped ${skipped.length} assets:`);
            for (const name of skipped) printer.out(`- ${name}`);
          }
          printer.err(`\nFailed to update ${failed.size} assets:`);
          for (const [name, problem] of failed) printer.err(`- '${name}': ${problem}`);
          return EXIT.ok;
      }
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
