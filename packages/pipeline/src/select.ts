import path from "node:path";
import { PipelineError, SelectionError } from "./errors.js";
import type { Asset, Pipeline } from "./model.js";
import { evaluateSelector, type SelectorContext } from "./selector.js";

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
  /** `--selector`: a selection expression (selector.ts). */
  selector?: string;
  /** Where relative paths in the selector were typed. */
  selectorContext?: SelectorContext;
  /** `--modified`: the absolute paths of the changed files; only the assets in them are selected. */
  modifiedFiles?: readonly string[];
}

const quoteList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

/** The assets and everything downstream of any of them, in pipeline order. */
function withAllDownstream(pipeline: Pipeline, assets: readonly Asset[]): Asset[] {
  const keep = new Set<string>();
  for (const asset of assets) for (const a of withDownstream(pipeline, asset.name)) keep.add(a.name);
  return pipeline.assets.filter((a) => keep.has(a.name));
}

/**
 * The assets a run covers, in pipeline order. Contradictory flags throw a
 * SelectionError (exit code 2): `--downstream` with nothing selected,
 * `--tag`, `--selector` or `--modified` with a single asset, tags or a
 * selector that select nothing. `--downstream` adds everything downstream of
 * the single asset, or of what `--tag`, `--selector` and `--modified`
 * selected. `--exclude-tag` with a single asset drops only downstream assets,
 * never the named one. An empty result without a selection (everything
 * excluded, or no asset file modified) is not an error: there is just
 * nothing to run.
 */
export function selectAssets(pipeline: Pipeline, options: SelectionOptions = {}): Asset[] {
  const tags = (options.tags ?? []).map((t) => t.trim()).filter((t) => t !== "");
  const excludeTags = (options.excludeTags ?? []).map((t) => t.trim()).filter((t) => t !== "");
  const selector = options.selector?.trim();
  const { asset, modifiedFiles } = options;
  if (options.downstream && !asset && tags.length === 0 && selector === undefined && modifiedFiles === undefined) {
    throw new SelectionError(
      "--downstream can only be used when running a single asset or with --tag, --selector or --modified: give the path of an asset file",
    );
  }
  if (asset && tags.length > 0) {
    throw new SelectionError(
      "--tag cannot be used when running a single asset: give the pipeline's path to select by tag",
    );
  }
  if (asset && selector !== undefined) {
    throw new SelectionError(
      "--selector cannot be used when running a single asset: give the pipeline's path to select with it",
    );
  }
  if (asset && modifiedFiles !== undefined) {
    throw new SelectionError("--modified cannot be used when running a single asset: give the pipeline's path");
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
  let base: Asset[] = pipeline.assets;
  if (selector !== undefined) {
    base = evaluateSelector(pipeline, selector, options.selectorContext);
    if (base.length === 0) {
      throw new SelectionError(`no assets found with selector '${selector}' in pipeline '${pipeline.name}'`);
    }
  }
  if (modifiedFiles !== undefined) {
    const changed = new Set(modifiedFiles.map((file) => path.resolve(file)));
    base = base.filter((a) => changed.has(path.resolve(a.path)));
  }
  if (tags.length > 0) {
    const tagged = selectByTags(base, tags);
    if (tagged.length === 0) {
      throw new SelectionError(
        `no assets found with tag${tags.length > 1 ? "s" : ""} ${quoteList(tags)} in pipeline '${pipeline.name}'`,
      );
    }
    const kept = selectByTags(options.downstream ? withAllDownstream(pipeline, tagged) : tagged, [], excludeTags);
    if (kept.length === 0) {
      throw new SelectionError(
        `every asset with tag${tags.length > 1 ? "s" : ""} ${quoteList(tags)} also has an excluded tag (${quoteList(excludeTags)})`,
      );
    }
    return kept;
  }
  return selectByTags(options.downstream ? withAllDownstream(pipeline, base) : base, [], excludeTags);
}
