import { existsSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Asset, Pipeline } from "@bruin-ts/pipeline";
import { Redactor } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { Printer, type CliIO } from "../io.js";
import { assetJson, pipelineJson, type Definitions } from "../parse-json.js";
import { appendToDefinitionList, editDefinition, patchYaml, splitDefinition } from "../patch/definitions.js";
import { isJsonObject, type Json } from "../patch/json.js";
import { ASSET_SPEC, PIPELINE_SPEC } from "../patch/specs.js";
import { tableReferences } from "../patch/table-references.js";

/** A failure as the reference prints one for these commands: `{"error": …}` on stdout, exit 1. */
class PatchError extends Error {}

function fail(printer: Printer, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  printer.out(JSON.stringify({ error: message }));
  return error instanceof UsageError ? EXIT.usage : EXIT.failed;
}

function parseBody(body: string | undefined, what: string): Record<string, Json> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch (error) {
    throw new PatchError(`${what}: ${(error as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw new PatchError(`${what}: the body must be a JSON object`);
  return parsed;
}

function errorMessage(error: unknown): string {
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0) return issues.map(String).join("\n");
  return error instanceof Error ? error.message : String(error);
}

export interface PatchOptions {
  path?: string | undefined;
  body?: string | undefined;
  /** `--convert`: make a plain SQL or Python file an asset (patch-asset). */
  convert?: boolean | undefined;
}

/** The most common type of the pipeline's SQL assets, as the reference picks it; undefined when it has none. */
function majoritySqlType(pipeline: Pipeline): string | undefined {
  const counts = new Map<string, number>();
  for (const asset of pipeline.assets) {
    if (asset.type.endsWith(".sql")) counts.set(asset.type, (counts.get(asset.type) ?? 0) + 1);
  }
  let best: string | undefined;
  let most = 0;
  for (const [type, count] of counts) {
    if (count > most) [best, most] = [type, count];
  }
  return best;
}

/**
 * `--convert`: puts a `@bruin` header on a SQL file, with `type:` the
 * pipeline's most common SQL asset type (none when the pipeline has no SQL
 * asset: validate then asks for one), or on a Python file. Other files, and
 * files that already have a header, are left alone.
 */
async function convertToAsset(file: string): Promise<void> {
  if (!existsSync(file)) throw new PatchError("file does not exist");
  const extension = path.extname(file).toLowerCase();
  if (extension !== ".sql" && extension !== ".py") return;
  const text = await readFile(file, "utf8");
  if (splitDefinition(file, text) !== undefined) return;
  let type: string | undefined;
  try {
    const lib = await import("@bruin-ts/pipeline");
    type = majoritySqlType((await lib.loadPipeline(file, { collectIssues: true })).pipeline);
  } catch {
    // Not in a pipeline that loads: no type to take.
  }
  const header =
    extension === ".py"
      ? `""" @bruin\n\ndescription: this is a python asset\n\n@bruin """`
      : `/* @bruin\n\n${type === undefined ? "" : `type: ${type}\n\n`}@bruin */`;
  await writeFile(file, `${header}\n\n${text.trim()}\n`);
}

/**
 * `bruin internal patch-asset PATH --body JSON`: sets the asset's fields that
 * the body names (the fields of `internal parse-asset`'s `asset`) in its
 * definition, the `@bruin` header or the `.asset.yml` file, keeping the rest
 * of the file as written. `executable_file.content` replaces the query or
 * script after a header. With `--convert`, makes a plain SQL or Python file
 * an asset instead. Prints nothing on success.
 */
export async function patchAssetCommand(options: PatchOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    if (!options.path) throw new PatchError("empty asset path given, you must provide an existing asset path");
    const file = path.resolve(io.cwd, options.path);
    if (options.convert) {
      await convertToAsset(file);
      return EXIT.ok;
    }
    const lib = await import("@bruin-ts/pipeline");
    let loaded: { pipeline: Pipeline; selectedAsset?: Asset };
    try {
      loaded = await lib.loadPipeline(file);
    } catch (error) {
      throw new PatchError(`failed to create asset from the given path: ${errorMessage(error)}`);
    }
    const asset = loaded.selectedAsset;
    if (asset === undefined) throw new PatchError("the file in the given path does not seem to be an asset");
    const body = parseBody(options.body, "failed to patch the asset with the given json body");

    const text = await readFile(asset.path, "utf8");
    const definitions: Definitions = {
      pipeline: await lib.readPipelineDefinition(loaded.pipeline),
      assets: new Map([[asset.path, await lib.readAssetDefinition(asset)]]),
    };
    const current = assetJson(asset, definitions, { content: true, fileText: text }) as Record<string, Json>;
    const split = splitDefinition(asset.path, text);
    if (split === undefined) throw new PatchError("the file in the given path does not seem to be an asset");
    const patched = patchYaml(split.yaml, body, current, ASSET_SPEC);
    if ("error" in patched)
      throw new PatchError(`failed to patch the asset with the given json body: ${patched.error}`);

    let after = split.after;
    const content = isJsonObject(body.executable_file) ? body.executable_file.content : undefined;
    const currentContent = isJsonObject(current.executable_file) ? current.executable_file.content : undefined;
    if (typeof content === "string" && content !== currentContent && split.before !== "") {
      // The closing marker's line stays; what follows it becomes the new content.
      const lineEnd = after.indexOf("\n");
      after = `${lineEnd < 0 ? after : after.slice(0, lineEnd)}\n\n${content.trim()}\n`;
    }
    const next = `${split.before}${patched.text}${after}`;
    if (next !== text) await writeFile(asset.path, next);
    return EXIT.ok;
  } catch (error) {
    return fail(printer, error);
  }
}

/** The pipeline.yml (or .yaml) a path names: the file itself, or the one in the folder. */
function pipelineFile(given: string): string {
  if (existsSync(given) && statSync(given).isDirectory()) {
    const found = ["pipeline.yml", "pipeline.yaml"].map((name) => path.join(given, name)).find((f) => existsSync(f));
    if (found === undefined) throw new PatchError(`failed to load pipeline: no pipeline.yml in '${given}'`);
    return found;
  }
  if (!existsSync(given)) throw new PatchError(`failed to load pipeline: '${given}' does not exist`);
  return given;
}

/**
 * `bruin internal patch-pipeline PATH --body JSON`: sets the pipeline's
 * fields that the body names (the fields of `internal parse-pipeline`) in
 * its pipeline.yml, keeping the rest of the file as written. PATH: the
 * pipeline.yml or its folder. Prints nothing on success.
 */
export async function patchPipelineCommand(options: PatchOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    if (!options.path) throw new PatchError("empty pipeline path given, you must provide an existing pipeline path");
    const file = pipelineFile(path.resolve(io.cwd, options.path));
    const lib = await import("@bruin-ts/pipeline");
    let pipeline: Pipeline;
    try {
      // Problems of its assets do not stop a change of the pipeline's own fields.
      pipeline = (await lib.loadPipeline(file, { collectIssues: true })).pipeline;
    } catch (error) {
      throw new PatchError(`failed to load pipeline: ${errorMessage(error)}`);
    }
    const body = parseBody(options.body, "failed to apply patch to pipeline");
    const text = await readFile(pipeline.file, "utf8");
    const definitions: Definitions = { pipeline: await lib.readPipelineDefinition(pipeline), assets: new Map() };
    const current = pipelineJson(pipeline, definitions) as Record<string, Json>;
    const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
    const patched = patchYaml(text.slice(bom.length), body, current, PIPELINE_SPEC);
    if ("error" in patched) throw new PatchError(`failed to apply patch to pipeline: ${patched.error}`);
    const next = `${bom}${patched.text}`;
    if (next !== text) await writeFile(pipeline.file, next);
    return EXIT.ok;
  } catch (error) {
    return fail(printer, error);
  }
}

export interface FillDependenciesOptions {
  path?: string | undefined;
  output: string;
}

/** The keys `depends:` goes after when an asset has none yet, latest first (the reference's key order). */
const BEFORE_DEPENDS = ["materialization", "meta", "domains", "tags", "connection", "description", "type", "name"];

/** The assets of the pipeline that `asset`'s query reads and its `depends` does not list yet. */
function missingDependencies(asset: Asset, pipeline: Pipeline): string[] {
  if (asset.code !== undefined || !asset.type.endsWith(".sql")) return [];
  const byName = new Map(pipeline.assets.map((a) => [a.name.toLowerCase(), a.name]));
  const declared = new Set(asset.depends.map((name) => name.toLowerCase()));
  const missing: string[] = [];
  for (const table of tableReferences(asset.query)) {
    const name = byName.get(table.toLowerCase());
    if (name === undefined || name === asset.name || declared.has(name.toLowerCase())) continue;
    declared.add(name.toLowerCase());
    missing.push(name);
  }
  return missing;
}

/** Adds `names` to the asset's `depends:` in its file, keeping the rest as written. */
async function addDependencies(asset: Asset, names: string[]): Promise<void> {
  await appendToDefinitionList(asset.path, "depends", names, BEFORE_DEPENDS);
}

/**
 * `bruin patch fill-asset-dependencies PATH`: adds to each asset's `depends`
 * the assets of its pipeline that its query reads (FROM and JOIN) and it does
 * not list yet. PATH: one asset file, or a pipeline (every asset of it).
 */
export async function fillAssetDependenciesCommand(options: FillDependenciesOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  const json = options.output === "json";
  const report = (error: unknown) => {
    if (json) printer.out(JSON.stringify({ error: errorMessage(error) }));
    else printer.err(errorMessage(error));
    return EXIT.failed;
  };
  if (!["plain", "json"].includes(options.output)) {
    throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
  }
  if (!options.path) {
    printer.out("Please provide a path to an asset or a pipeline.");
    return EXIT.ok;
  }
  const given = path.resolve(io.cwd, options.path);
  const lib = await import("@bruin-ts/pipeline");
  let loaded: { pipeline: Pipeline; selectedAsset?: Asset };
  try {
    loaded = await lib.loadPipeline(given);
  } catch (error) {
    return report(new Error(`failed to build pipeline at '${options.path}': ${errorMessage(error)}`));
  }
  const { pipeline, selectedAsset } = loaded;
  const isFile = existsSync(given) && statSync(given).isFile() && given !== pipeline.file;
  if (isFile && selectedAsset === undefined) {
    return report(new Error(`the given file path doesn't seem to be a Bruin asset definition: '${options.path}'`));
  }
  const assets = isFile ? [selectedAsset!] : pipeline.assets;
  const failed = new Map<string, string>();
  for (const asset of assets) {
    try {
      const missing = missingDependencies(asset, pipeline);
      if (missing.length > 0) await addDependencies(asset, missing);
    } catch (error) {
      failed.set(asset.name, errorMessage(error));
    }
  }
  if (isFile) {
    const [problem] = failed.values();
    if (problem !== undefined) return report(new Error(`failed to update asset dependencies: ${problem}`));
    if (json) printer.out(`{"status": "success", "message": "Asset dependencies updated successfully"}`);
    else printer.out(`Asset dependencies updated successfully for asset '${selectedAsset!.name}'`);
    return EXIT.ok;
  }
  const succeeded = assets.length - failed.size;
  if (failed.size === 0) {
    if (json) printer.out(`{"status": "success", "message": "Asset dependencies updated successfully"}`);
    else printer.out(`Successfully updated dependencies for ${succeeded} assets in pipeline '${pipeline.name}'.`);
    return EXIT.ok;
  }
  if (succeeded === 0) {
    return report(
      new Error(`encountered errors while processing pipeline '${pipeline.name}' with ${failed.size} assets`),
    );
  }
  if (json) {
    printer.out(
      JSON.stringify({
        failed_assets: failed.size,
        message: `Asset dependencies updated successfully for ${succeeded} assets in pipeline '${pipeline.name}'`,
        processed_assets: assets.length,
        status: "failed",
        successful_assets: succeeded,
      }),
    );
    return EXIT.ok;
  }
  printer.err("Summary:");
  printer.err(`Processed ${assets.length} assets in pipeline '${pipeline.name}'`);
  printer.err(`Successfully updated dependencies for ${succeeded} assets`);
  printer.err(`Failed to update dependencies for ${failed.size} assets`);
  for (const [name, problem] of failed) printer.err(`- '${name}': ${problem}`);
  return EXIT.ok;
}
