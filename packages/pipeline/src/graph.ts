import { displayPath } from "./display-path.js";
import { SelectionError } from "./errors.js";
import type { Asset, Pipeline, Task } from "./model.js";

/** Unknown upstreams and dependency cycles, one message each. */
export function graphIssues(assets: readonly Asset[]): string[] {
  const issues: string[] = [];
  const byName = new Map(assets.map((a) => [a.name, a]));
  for (const asset of assets) {
    for (const dep of asset.depends) {
      if (!byName.has(dep))
        issues.push(`asset '${asset.name}' (${displayPath(asset.path)}) depends on '${dep}', which does not exist`);
    }
  }
  issues.push(...findCycles(assets, byName));
  return issues;
}

/** Each dependency cycle once, as `dependency cycle: a -> b -> a` where `a` depends on `b`. */
export function dependencyCycles(assets: readonly Asset[]): string[] {
  return findCycles(assets, new Map(assets.map((a) => [a.name, a])));
}

/** Each cycle once, as `a -> b -> a` where `a` depends on `b`. */
function findCycles(assets: readonly Asset[], byName: Map<string, Asset>): string[] {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];

  // Iterative DFS: a 1,000-asset chain must not overflow the call stack.
  for (const root of [...assets].sort((a, b) => a.name.localeCompare(b.name))) {
    if (state.has(root.name)) continue;
    const frames: Array<{ name: string; next: number }> = [{ name: root.name, next: 0 }];
    state.set(root.name, "visiting");
    stack.push(root.name);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const deps = byName.get(frame.name)?.depends ?? [];
      if (frame.next >= deps.length) {
        state.set(frame.name, "done");
        stack.pop();
        frames.pop();
        continue;
      }
      const dep = deps[frame.next++]!;
      if (!byName.has(dep)) continue;
      const seen = state.get(dep);
      if (seen === "visiting") {
        cycles.push(`dependency cycle: ${[...stack.slice(stack.indexOf(dep)), dep].join(" -> ")}`);
      } else if (seen === undefined) {
        state.set(dep, "visiting");
        stack.push(dep);
        frames.push({ name: dep, next: 0 });
      }
    }
  }
  return cycles;
}

/** The distinct connection names the given assets run on, sorted. */
export function connectionNames(assets: readonly Asset[]): string[] {
  return [...new Set(assets.map((a) => a.connection).filter((c) => c !== ""))].sort();
}

/** The id part of a custom check: lowercased, spaces as underscores (as the reference CLI does). */
export function customCheckIdName(name: string): string {
  return name.toLowerCase().replaceAll(" ", "_");
}

export type TaskKindSelection = "main" | "checks";

export interface BuildTasksOptions {
  /** `--only`: just the assets' own tasks (`main`), just their quality checks (`checks`), or both (default). */
  only?: readonly TaskKindSelection[] | undefined;
}

/**
 * One task per asset plus one per column check and custom check. A check
 * waits for its asset; an asset waits for its upstream assets and their
 * blocking checks, so a non-blocking check never holds anything back.
 * Upstreams outside `assets` (not selected) are not waited for. With
 * `only: ["checks"]` the checks run against the tables as they are, without
 * their asset tasks, depending on nothing.
 */
export function buildTasks(pipeline: Pipeline, assets: readonly Asset[], options: BuildTasksOptions = {}): Task[] {
  void pipeline;
  const only = options.only && options.only.length > 0 ? options.only : ["main", "checks"];
  for (const kind of only) {
    if (kind !== "main" && kind !== "checks")
      throw new SelectionError(`--only accepts 'main' and 'checks', not '${String(kind)}'`);
  }
  const withMain = only.includes("main");
  const withChecks = only.includes("checks");
  const checkUpstream = withMain ? (asset: Asset) => [asset.name] : () => [];
  const selected = new Set(assets.map((a) => a.name));
  const checksByAsset = new Map<string, Task[]>();

  for (const asset of assets) {
    const checks: Task[] = [];
    for (const column of asset.columns) {
      for (const check of column.checks) {
        const id = `${asset.name}:${column.name}:${check.name}`;
        checks.push({
          kind: "column-check",
          id,
          asset,
          assetName: asset.name,
          column,
          check,
          blocking: check.blocking,
          upstream: checkUpstream(asset),
        });
      }
    }
    for (const check of asset.customChecks) {
      const id = `${asset.name}:custom-check:${customCheckIdName(check.name)}`;
      checks.push({
        kind: "custom-check",
        id,
        asset,
        assetName: asset.name,
        check,
        blocking: check.blocking,
        upstream: checkUpstream(asset),
      });
    }
    checksByAsset.set(asset.name, checks);
  }

  const tasks: Task[] = [];
  for (const asset of assets) {
    const upstream = asset.depends
      .filter((dep) => selected.has(dep))
      .flatMap((dep) => [dep, ...blockingIds(checksByAsset.get(dep) ?? [])]);
    if (withMain) tasks.push({ kind: "asset", id: asset.name, asset, assetName: asset.name, upstream });
    if (withChecks) tasks.push(...(checksByAsset.get(asset.name) ?? []));
  }
  return tasks;
}

function blockingIds(checks: readonly Task[]): string[] {
  return checks.filter((t) => t.kind !== "asset" && t.blocking).map((t) => t.id);
}

/** Task ids that occur more than once (e.g. the same check twice on one column). */
export function duplicateTaskIds(tasks: readonly Task[]): string[] {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const t of tasks) (seen.has(t.id) ? dupes : seen).add(t.id);
  return [...dupes];
}
