import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Asset, Pipeline } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { Printer, type CliIO } from "../io.js";
import { parseAssetJson, pipelineJson, type Definitions } from "../parse-json.js";

export interface ParseOptions {
  path: string;
  columnLineage?: boolean | undefined;
}

/** `-c`: column lineage needs an SQL parser this CLI does not have yet. */
function refuseLineage(options: ParseOptions): void {
  if (options.columnLineage) {
    throw new UsageError("column lineage (-c, --column-lineage) is not supported yet");
  }
}

/** Loads the pipeline the path belongs to, and reads the definitions as written. */
async function load(
  io: CliIO,
  pathArg: string,
): Promise<{ pipeline: Pipeline; selectedAsset: Asset | undefined; definitions: Definitions }> {
  const lib = await import("@bruin-ts/pipeline");
  const { pipeline, selectedAsset } = await lib.loadPipeline(path.resolve(io.cwd, pathArg));
  const [raw, assets] = await Promise.all([
    lib.readPipelineDefinition(pipeline),
    Promise.all(pipeline.assets.map(async (asset) => [asset.path, await lib.readAssetDefinition(asset)] as const)),
  ]);
  return { pipeline, selectedAsset, definitions: { pipeline: raw, assets: new Map(assets) } };
}

/**
 * Prints a failure as the reference does for these commands, `{"error": …}`
 * on stdout, where the calling tool reads; exit 1 (2 for a usage error).
 */
function fail(printer: Printer, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const issues = (error as { issues?: unknown }).issues;
  const text = Array.isArray(issues) && issues.length > 1 ? issues.map(String).join("\n") : message;
  printer.out(JSON.stringify({ error: text }));
  return error instanceof UsageError ? EXIT.usage : EXIT.failed;
}

/** `bruin internal parse-pipeline PATH`: the whole pipeline as JSON (PATH: the pipeline or any file of it). */
export async function parsePipelineCommand(options: ParseOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    refuseLineage(options);
    const { pipeline, definitions } = await load(io, options.path);
    printer.out(JSON.stringify(pipelineJson(pipeline, definitions)));
    return EXIT.ok;
  } catch (error) {
    return fail(printer, error);
  }
}

/** `bruin internal parse-asset PATH`: one asset, with its pipeline's name and schedule and the repository. */
export async function parseAssetCommand(options: ParseOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    refuseLineage(options);
    const { pipeline, selectedAsset, definitions } = await load(io, options.path);
    if (!selectedAsset) throw new UsageError(`'${options.path}' is not an asset file; give the path of one asset`);
    const text = await readFile(selectedAsset.path, "utf8");
    printer.out(JSON.stringify(parseAssetJson(selectedAsset, pipeline, definitions, text)));
    return EXIT.ok;
  } catch (error) {
    return fail(printer, error);
  }
}

/** `bruin internal connections`: every connection type and its fields, as a JSON Schema generated from the zod schemas. */
export async function connectionSchemasCommand(io: CliIO): Promise<number> {
  const { connectionsJsonSchema } = await import("@bruin-ts/connections");
  new Printer(io, new Redactor(), { color: false }).out(JSON.stringify(connectionsJsonSchema(), null, 2));
  return EXIT.ok;
}
