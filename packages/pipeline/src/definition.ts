import { readFile } from "node:fs/promises";
import yaml from "js-yaml";
import { isRecord } from "./asset-fields.js";
import { PYTHON_MARKERS, R_MARKERS, SQL_MARKERS, splitAssetHeader } from "./header.js";
import type { Asset, Pipeline } from "./model.js";

/** How an asset is defined: in a comment header of its file, or in a whole `.asset.yml` file. */
export type DefinitionKind = "comment" | "yaml";

/** The mapping an asset's header (or `.asset.yml` file) holds, as written, and where it is written. */
export interface AssetDefinition {
  kind: DefinitionKind;
  fields: Record<string, unknown>;
}

/**
 * Reads the asset's definition again, as written, for tools that show the
 * fields the runner itself does not use (description, owner, meta, …). The
 * asset was loaded by `loadPipeline`, so its header is known to be valid;
 * a file changed since then yields whatever mapping it now holds, or none.
 */
export async function readAssetDefinition(asset: Pick<Asset, "path">): Promise<AssetDefinition> {
  const text = await readFile(asset.path, "utf8");
  if (/\.asset\.ya?ml$/.test(asset.path)) return { kind: "yaml", fields: loadMapping(text) };
  const markers = asset.path.endsWith(".py") ? PYTHON_MARKERS : /\.r$/i.test(asset.path) ? R_MARKERS : SQL_MARKERS;
  const split = splitAssetHeader(text, markers);
  return { kind: "comment", fields: split.kind === "header" ? loadMapping(split.header.yaml) : {} };
}

/** The mapping of pipeline.yml, as written. */
export async function readPipelineDefinition(pipeline: Pick<Pipeline, "file">): Promise<Record<string, unknown>> {
  return loadMapping(await readFile(pipeline.file, "utf8"));
}

function loadMapping(text: string): Record<string, unknown> {
  try {
    // The same schema the loader reads with: no timestamps, `yes` stays a string.
    const raw = yaml.load(text.startsWith("\uFEFF") ? text.slice(1) : text, { schema: yaml.CORE_SCHEMA });
    return isRecord(raw) ? raw : {};
  } catch {
    return {};
  }
}
