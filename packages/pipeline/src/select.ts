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
export function selectByTags(assets: readonly Asset[], include: readonly string[], exclude: readonly string[] = []): Asset[] {
  return assets.filter(
    (a) => (include.length === 0 || a.tags.some((t) => include.includes(t))) && !a.tags.some((t) => exclude.includes(t)),
  );
}
