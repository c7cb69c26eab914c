import { PipelineError, SelectionError } from "./errors.js";
import type { Asset, Pipeline } from "./model.js";

/** The asset and everything that depends on it, transitively, in pipeline order (`--downstream`). */
export function withDownstream(pipeline: Pipeline, assetName: string): Asset[] {
  const dependents = new Map<string, string[]>();
  for (const asset of pipeline.assets) {
    for (const dep of asset.depends) dependents.set(dep, [...(dependents.get(dep) ?? []), asset.name]);
  }
  const keep = new Set<string>([assetName]);
  const stack = [assetName];
  while (stack.length > 0) {
    for (const next of dependents.get(stack.pop()!) ?? []) {
      if (!keep.has(next)) {
        keep.add(next);
        stack.push(next);
      }
    }
  }
  return pipeline.assets.filter((a) => keep.has(a.name));
}

/** Assets carrying any of `include` (all when empty) and none of `exclude` (`--tag`, `--exclude-tag`). */
export function selectByTags(
  assets: readonly Asset[],
  include: readonly string[],
  exclude: readonly string[] = [],
): Asset[] {
  return assets.filter(
    (a) =>
      (include.length === 0 || a.tags.some((t) => include.includes(t))) && !a.tags.some((t) => exclude.includes(t)),
  );
}

export interface SelectionOptions {
  /** The single asset named on the command line (an asset file path). */
  asset?: Asset;
  /** `--downstream`: the asset and everything downstream of it. */
  downstream?: boolean;
  /** `--tag`: assets carrying any of these. */
  tags?: readonly string[];
  /** `--exclude-tag`: drop assets carrying any of these. */
  excludeTags?: readonly string[];
}

const quoteList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

/**
 * The assets a run covers, in pipeline order. Contradictory flags throw a
 * SelectionError (exit code 2): `--downstream` without a single asset,
 * `--tag` with a single asset, tags that select nothing. `--exclude-tag`
 * with a single asset drops only downstream assets, never the named one.
 * An empty result without `--tag` (everything excluded) is not an error:
 * there is just nothing to run.
 */
export function selectAssets(pipeline: Pipeline, options: SelectionOptions = {}): Asset[] {
  const tags = (options.tags ?? []).map((t) => t.trim()).filter((t) => t !== "");
  const excludeTags = (options.excludeTags ?? []).map((t) => t.trim()).filter((t) => t !== "");
  const { asset } = options;
  if (options.downstream && !asset) {
    throw new SelectionError(
      "--downstream can only be used when running a single asset: give the path of an asset file",
    );
  }
  if (asset && tags.length > 0) {
    throw new SelectionError(
      "--tag cannot be used when running a single asset: give the pipeline's path to select by tag",
    );
  }
  if (asset && !pipeline.assets.some((a) => a.name === asset.name)) {
    throw new PipelineError(`asset '${asset.name}' is not part of pipeline '${pipeline.name}'`);
  }

  if (asset) {
    const base = options.downstream
      ? withDownstream(pipeline, asset.name)
      : [pipeline.assets.find((a) => a.name === asset.name)!];
    return base.filter((a) => a.name === asset.name || !a.tags.some((t) => excludeTags.includes(t)));
  }
  if (tags.length > 0) {
    const tagged = selectByTags(pipeline.assets, tags);
    if (tagged.length === 0) {
      throw new SelectionError(
        `no assets found with tag${tags.length > 1 ? "s" : ""} ${quoteList(tags)} in pipeline '${pipeline.name}'`,
      );
    }
    const kept = selectByTags(tagged, [], excludeTags);
    if (kept.length === 0) {
      throw new SelectionError(
        `every asset with tag${tags.length > 1 ? "s" : ""} ${quoteList(tags)} also has an excluded tag (${quoteList(excludeTags)})`,
      );
    }
    return kept;
  }
  return selectByTags(pipeline.assets, [], excludeTags);
}
