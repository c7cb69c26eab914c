import { readFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseAssetFile, type AssetFileKind } from "./asset-file.js";
import { displayPath } from "./display-path.js";
import { PipelineError } from "./errors.js";
import { buildTasks, duplicateTaskIds, graphIssues } from "./graph.js";
import type { Asset, Pipeline } from "./model.js";
import { attachMacros, loadMacros } from "./macros.js";
import { parsePipelineFile } from "./pipeline-file.js";
import { applySchemaPrefix } from "./schema-prefix.js";
import { applyVariant, renderIdentities, variantVariables } from "./variants.js";
import { environment } from "./render.js";

const PIPELINE_FILES = ["pipeline.yml", "pipeline.yaml"];
const ASSET_FOLDERS = ["assets", "tasks"];

async function statOrUndefined(p: string) {
  try {
    return await stat(p);
  } catch {
    return undefined;
  }
}

async function pipelineFileIn(dir: string): Promise<string | undefined> {
  for (const name of PIPELINE_FILES) {
    const candidate = path.join(dir, name);
    if ((await statOrUndefined(candidate))?.isFile()) return candidate;
  }
  return undefined;
}

/** Where the pipeline file is, and which asset file was named (if one was). */
async function locate(pathArg: string): Promise<{ file: string; assetFile?: string }> {
  const abs = path.resolve(pathArg);
  const info = await statOrUndefined(abs);
  if (!info) throw new PipelineError(`path '${pathArg}' does not exist`);
  if (info.isDirectory()) {
    const file = await pipelineFileIn(abs);
    if (!file) throw new PipelineError(`no pipeline.yml found in '${pathArg}'`);
    return { file };
  }
  if (PIPELINE_FILES.includes(path.basename(abs))) return { file: abs };
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    const file = await pipelineFileIn(dir);
    if (file) return { file, assetFile: abs };
    if (path.dirname(dir) === dir) break;
  }
  throw new PipelineError(`Failed to find the pipeline this task belongs to: '${pathArg}'`);
}

/** The kind of asset file a name denotes, if any. */
function assetFileKind(fileName: string): AssetFileKind | undefined {
  if (fileName.endsWith(".sql")) return "sql";
  if (fileName.endsWith(".py")) return "python";
  if (fileName.endsWith(".r") || fileName.endsWith(".R")) return "r";
  if (fileName.endsWith(".asset.yml") || fileName.endsWith(".asset.yaml")) return "yaml";
  return undefined;
}

async function assetFilesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith("."))
      .map(async (e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return assetFilesUnder(full);
        return e.isFile() && assetFileKind(e.name) ? [full] : [];
      }),
  );
  return nested.flat().sort();
}

/**
 * `assets/raw/orders.sql` → `raw.orders`: the path under the assets folder,
 * `/` → `.`, last extension dropped (`.asset.yml` as a whole).
 */
export function assetNameFromPath(relativePath: string): string {
  const parsed = path.parse(relativePath.replace(/\.asset\.ya?ml$/, ".yml"));
  return path.join(parsed.dir, parsed.name).split(path.sep).join(".");
}

export interface LoadOptions {
  /** Return the problems found in `issues` instead of throwing them. */
  collectIssues?: boolean;
  /** The variant (of pipeline.yml's `variants:`) whose variables apply; see applyVariant. */
  variant?: string | undefined;
  /** A pipeline that declares variants must be given one (as `run` needs). */
  requireVariant?: boolean;
  /** Variable overrides (`--var`), for the templated names of the pipeline and its assets. */
  variables?: Record<string, unknown> | undefined;
  /** A `schema_prefix` (an environment's) that replaces pipeline.yml's own; see applySchemaPrefix. */
  schemaPrefix?: string | undefined;
}

/**
 * Loads a pipeline from a pipeline folder, its pipeline.yml, or one of its
 * asset files (then `selectedAsset` is that asset). Every problem found —
 * in pipeline.yml, in asset headers, in the dependency graph — is reported
 * together in one PipelineError. With `collectIssues` they are returned
 * instead (`issues`), with what could be loaded, for `validate` to report
 * per asset. The pipeline comes back with its variant (`variant`) and its
 * schema prefix (`schemaPrefix`, else pipeline.yml's) applied.
 */
export async function loadPipeline(
  pathArg: string,
  options: LoadOptions = {},
): Promise<{ pipeline: Pipeline; selectedAsset?: Asset; issues?: string[] }> {
  const { file, assetFile } = await locate(pathArg);
  const dir = path.dirname(file);
  const issues: string[] = [];
  const meta = parsePipelineFile(await readFile(file, "utf8"), displayPath(file), issues);

  const assets: Asset[] = [];
  for (const folder of ASSET_FOLDERS) {
    const root = path.join(dir, folder);
    const files = await assetFilesUnder(root);
    // Asset files are small and many: reading them one after another synchronously
    // costs far less than a thousand pending promises (measured on 1,000 assets).
    const texts = files.map((f) => readFileSync(f, "utf8"));
    files.forEach((f, i) => {
      const result = parseAssetFile(
        texts[i]!,
        {
          path: f,
          displayPath: displayPath(f),
          derivedName: assetNameFromPath(path.relative(root, f)),
          defaults: meta.defaults,
          defaultConnections: meta.defaultConnections,
        },
        assetFileKind(path.basename(f)),
      );
      if (result.kind === "not-asset") return;
      issues.push(...result.issues);
      if (result.asset) assets.push(result.asset);
    });
  }

  // A variant names its own assets: `name: "{{ var.client }}_users"`.
  const pipelineName = renderIdentities(
    meta.name,
    assets,
    variantVariables(meta.variables, meta.variants, options.variant, options.variables),
    issues,
  );

  const firstPathByName = new Map<string, string>();
  let duplicateNames = false;
  for (const asset of assets) {
    const first = firstPathByName.get(asset.name);
    if (first) duplicateNames = true;
    if (first)
      issues.push(`duplicate asset name '${asset.name}' in ${displayPath(first)} and ${displayPath(asset.path)}`);
    else firstPathByName.set(asset.name, asset.path);
  }
  issues.push(...graphIssues(assets));
  attachMacros(assets, loadMacros(dir, environment, issues));

  const pipeline: Pipeline = {
    name: pipelineName,
    dir,
    file,
    ...(meta.schedule ? { schedule: meta.schedule } : {}),
    ...(meta.startDate ? { startDate: meta.startDate } : {}),
    defaultConnections: meta.defaultConnections,
    variables: meta.variables,
    variableSchemas: meta.variableSchemas,
    tags: meta.tags,
    assets,
    ...(meta.variants ? { variants: meta.variants } : {}),
    ...(meta.schemaPrefix ? { schemaPrefix: meta.schemaPrefix } : {}),
  };
  const taskIds = duplicateNames ? [] : duplicateTaskIds(buildTasks(pipeline, assets));
  for (const id of taskIds) {
    issues.push(`task '${id}' is defined more than once; give each check a distinct name`);
  }

  const shaped = applySchemaPrefix(
    await applyVariant(pipeline, options.variant, { required: options.requireVariant === true }),
    options.schemaPrefix ?? meta.schemaPrefix,
  );
  let selectedAsset: Asset | undefined;
  if (assetFile) {
    selectedAsset = shaped.assets.find((a) => a.path === assetFile);
    if (!selectedAsset && !issues.some((i) => i.includes(displayPath(assetFile)))) {
      issues.push(
        `'${pathArg}' is not an asset of pipeline '${meta.name}': it must be a file under assets/ with a '@bruin' header`,
      );
    }
  }
  if (options.collectIssues) return { pipeline: shaped, ...(selectedAsset ? { selectedAsset } : {}), issues };
  if (issues.length > 0) throw new PipelineError(issues);
  return { pipeline: shaped, ...(selectedAsset ? { selectedAsset } : {}) };
}
