import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Asset, Pipeline } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { Printer, type CliIO } from "../io.js";
import { intervalFrom } from "../interval.js";
import type { LineageDocument, LineageIssue } from "../lineage/apply.js";
import { assetJson, parseAssetJson, pipelineJson, type Definitions, type JsonObject } from "../parse-json.js";

export interface ParseOptions {
  path: string;
  columnLineage?: boolean | undefined;
  /** `--variant`: the pipeline variant whose variables (and the asset names they make) apply. */
  variant?: string | undefined;
}

/**
 * `-c`: column lineage written into the documents (see lineage/apply.ts),
 * each of `targets` after its upstreams. The parser loads only here. Returns
 * the assets whose query could not be rendered or parsed.
 */
async function columnLineage(
  io: CliIO,
  pipeline: Pipeline,
  documents: LineageDocument[],
  targets: LineageDocument[],
): Promise<LineageIssue[]> {
  const lib = await import("@bruin-ts/pipeline");
  const { dialectFor, isConnectionType } = await import("@bruin-ts/connections");
  const { ColumnLineage } = await import("../lineage/apply.js");
  const { grammarParser } = await import("../lineage/grammars.js");
  const variables = lib.resolveVariables(pipeline);
  const interval = intervalFrom({}, io.env);
  const lineage = new ColumnLineage(documents, {
    render: (asset) => {
      const assetInterval = lib.assetInterval(asset, { pipeline, interval, variables, fullRefresh: false });
      const context = lib.templateContext({
        assetName: asset.name,
        pipelineName: pipeline.name,
        interval: assetInterval,
        variables,
      });
      return lib.renderQuery(asset, context);
    },
    parserFor: async (asset) => {
      if (asset.code || asset.seed || asset.sensor || asset.unsupported || !isConnectionType(asset.platform)) {
        return undefined;
      }
      const grammar = dialectFor(asset.platform).sqlGrammar;
      return grammar === undefined ? undefined : grammarParser(grammar);
    },
  });
  for (const target of targets) await lineage.run(target);
  return lineage.issues;
}

/** Loads the pipeline the path belongs to, and reads the definitions as written. */
async function load(
  io: CliIO,
  pathArg: string,
  variant: string | undefined,
): Promise<{ pipeline: Pipeline; selectedAsset: Asset | undefined; definitions: Definitions }> {
  const lib = await import("@bruin-ts/pipeline");
  const { pipeline, selectedAsset } = await lib.loadPipeline(path.resolve(io.cwd, pathArg), { variant });
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
    const { pipeline, definitions } = await load(io, options.path, options.variant);
    const document = pipelineJson(pipeline, definitions);
    if (options.columnLineage) {
      const assets = document.assets as JsonObject[];
      const documents = pipeline.assets.map((asset, i) => ({ asset, json: assets[i]! }));
      // As the reference: problems with one asset's query leave that asset as it is, and are not reported here.
      await columnLineage(io, pipeline, documents, documents);
    }
    printer.out(JSON.stringify(document));
    return EXIT.ok;
  } catch (error) {
    return fail(printer, error);
  }
}

/** `bruin internal parse-asset PATH`: one asset, with its pipeline's name and schedule and the repository. */
export async function parseAssetCommand(options: ParseOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    const { pipeline, selectedAsset, definitions } = await load(io, options.path, options.variant);
    if (!selectedAsset) throw new UsageError(`'${options.path}' is not an asset file; give the path of one asset`);
    const text = await readFile(selectedAsset.path, "utf8");
    const document = parseAssetJson(selectedAsset, pipeline, definitions, text);
    if (options.columnLineage) {
      const selected = { asset: selectedAsset, json: document.asset as JsonObject };
      const documents = pipeline.assets.map((asset) =>
        asset.path === selectedAsset.path
          ? selected
          : { asset, json: assetJson(asset, definitions, { content: false }) },
      );
      const issues = await columnLineage(io, pipeline, documents, [selected]);
      if (issues.length > 0) document.lineage_issues = issues.map((issue) => ({ ...issue }));
    }
    printer.out(JSON.stringify(document));
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
