import { RELATIONSHIPS_CHECK } from "./asset-fields.js";
import { codeAssetProblems } from "./code-assets/validate.js";
import { checkProblem, engineForPlatform, strategyProblem } from "./engines/index.js";
import { displayPath } from "./display-path.js";
import { dependencyCycles } from "./graph.js";
import { renderHooks } from "./hooks.js";
import { seedProblem } from "./seed.js";
import { assetEnabled } from "./variants.js";
import { canonicalPlatform } from "./platforms.js";
import type { Asset, Pipeline } from "./model.js";
import { renderQuery, renderTemplate, templateContext, type RunInterval } from "./render.js";
import { isTableStrategy, materializationProblems } from "./strategies.js";
import { unknownVariablesMessage } from "./vars.js";

export interface ValidateOptions {
  /**
   * Resolves a connection by name without opening it (the CLI passes its
   * secrets resolver); throws when the connection is missing or invalid.
   * Its error messages are reported as they are, so they must not hold secrets.
   */
  resolveConnection?: (name: string) => Promise<unknown>;
  /** Variable overrides (`--var`); undeclared names are reported. */
  variables?: Record<string, unknown>;
  /** The run interval templates are rendered with; default: yesterday (UTC). */
  interval?: RunInterval;
  /** The PATH the interpreters of Python and R assets are looked for on (the CLI passes its environment's); none found without it. */
  pathVariable?: string | undefined;
}

/** Yesterday in UTC, from 00:00:00 to its last microsecond, 23:59:59.999999. */
export function yesterdayUtc(now = new Date()): RunInterval {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  return { start, end: new Date(start.getTime() + 86_400_000 - 1), startMicros: 0, endMicros: 999 };
}

/**
 * Checks the selected assets before anything runs: every asset type is
 * supported, every upstream exists, there are no cycles, materializations
 * are complete, every template renders, variables are declared, and every
 * connection resolves. Opens no database. Returns every problem found, one
 * line each, so `bruin validate` shows them all at once.
 */
export async function validatePipeline(
  pipeline: Pipeline,
  assets: readonly Asset[],
  options: ValidateOptions = {},
): Promise<{ issues: string[] }> {
  const issues: string[] = [];
  const names = new Set(pipeline.assets.map((a) => a.name));
  const variables = options.variables ?? {};
  const variableProblem = unknownVariablesMessage(pipeline, variables);
  if (variableProblem) issues.push(variableProblem);

  for (const asset of assets) {
    if (asset.unsupported) {
      issues.push(asset.unsupported);
      continue;
    }
    for (const dep of asset.depends) {
      if (!names.has(dep))
        issues.push(`asset '${asset.name}' (${displayPath(asset.path)}) depends on '${dep}', which does not exist`);
    }
    for (const dep of asset.symbolicDepends ?? []) {
      if (!names.has(dep))
        issues.push(
          `asset '${asset.name}' (${displayPath(asset.path)}) has a symbolic dependency on '${dep}', which does not exist`,
        );
    }
    issues.push(
      ...materializationProblems(asset).map((p) => `asset '${asset.name}' (${displayPath(asset.path)}): ${p}`),
    );
    issues.push(...engineProblems(asset).map((p) => `asset '${asset.name}': ${p}`));
    issues.push(...foreignKeyProblems(asset, names));
    const seed = seedProblem(asset);
    if (seed) issues.push(seed);
    if (!variableProblem)
      issues.push(...renderProblems(pipeline, asset, variables, options.interval ?? yesterdayUtc()));
  }
  issues.push(...dependencyCycles(pipeline.assets));
  issues.push(
    ...(await codeAssetProblems(assets, {
      ...(options.resolveConnection ? { resolveConnection: options.resolveConnection } : {}),
      ...(options.pathVariable !== undefined ? { pathVariable: options.pathVariable } : {}),
    })),
  );
  if (options.resolveConnection) issues.push(...(await connectionProblems(assets, options.resolveConnection)));
  return { issues };
}

/**
 * What the asset's engine does not claim to do (its engine module's
 * capabilities, which `run` refuses by the same rule): a strategy, or a column
 * check such as `pattern` on SQL Server.
 */
function engineProblems(asset: Asset): string[] {
  const engine = engineForPlatform(asset.platform);
  if (!engine) return [];
  const problems: string[] = [];
  const m = asset.materialization;
  const strategy = m?.type === "table" ? (m.strategy ?? "create+replace") : undefined;
  if (strategy !== undefined && isTableStrategy(strategy)) {
    const problem = strategyProblem(engine, strategy);
    if (problem) problems.push(problem);
  }
  for (const column of asset.columns) {
    for (const name of new Set(column.checks.map((c) => c.name))) {
      if (name === RELATIONSHIPS_CHECK) continue;
      const problem = checkProblem(engine, name);
      if (problem) problems.push(`column '${column.name}': ${problem}`);
    }
  }
  return problems;
}

/** A `relationships` check must look values up in another asset of the pipeline. */
function foreignKeyProblems(asset: Asset, names: ReadonlySet<string>): string[] {
  return asset.columns
    .filter(
      (c) => c.foreignKey && c.checks.some((k) => k.name === RELATIONSHIPS_CHECK) && !names.has(c.foreignKey.table),
    )
    .map(
      (c) =>
        `asset '${asset.name}' (${displayPath(asset.path)}): column '${c.name}': foreign_key table '${c.foreignKey!.table}' is not an asset of the pipeline`,
    );
}

function renderProblems(
  pipeline: Pipeline,
  asset: Asset,
  variables: Record<string, unknown>,
  interval: RunInterval,
): string[] {
  const context = templateContext({
    assetName: asset.name,
    pipelineName: pipeline.name,
    interval,
    variables: { ...pipeline.variables, ...variables },
  });
  const problems: string[] = [];
  const attempt = (render: () => unknown) => {
    try {
      render();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  };
  // A code asset's script is not a template.
  if (!asset.code) attempt(() => renderQuery(asset, context));
  attempt(() => assetEnabled(asset, context));
  for (const side of ["pre", "post"] as const) attempt(() => renderHooks(asset, side, context));
  for (const check of asset.customChecks) {
    attempt(() => renderTemplate(check.query, context, { asset, what: `custom check '${check.name}'` }));
  }
  return problems;
}

async function connectionProblems(
  assets: readonly Asset[],
  resolve: (name: string) => Promise<unknown>,
): Promise<string[]> {
  const users = new Map<string, string[]>();
  for (const asset of assets) {
    if (asset.unsupported || asset.connection === "") continue;
    users.set(asset.connection, [...(users.get(asset.connection) ?? []), asset.name]);
  }
  const names = [...users.keys()].sort();
  const types = new Map<string, string>();
  const results = await Promise.all(
    names.map((name) =>
      Promise.resolve()
        .then(() => resolve(name))
        .then(
          (connection) => {
            const type = (connection as { type?: unknown } | undefined)?.type;
            if (typeof type === "string") types.set(name, type);
            return undefined;
          },
          (error: unknown) => {
            const used = users.get(name)!;
            const by =
              used.length > 3
                ? `${used
                    .slice(0, 3)
                    .map((n) => `'${n}'`)
                    .join(", ")} and ${used.length - 3} more`
                : used.map((n) => `'${n}'`).join(", ");
            return `connection '${name}' (used by ${by}): ${error instanceof Error ? error.message : String(error)}`;
          },
        ),
    ),
  );
  return [
    ...results.filter((r): r is string => r !== undefined),
    ...connectionTypeProblems(assets, (name) => types.get(name)),
  ];
}

/**
 * An asset runs only on a connection of its own platform: a `my.sql` asset
 * whose connection is a postgres connection is an error naming both types.
 * `typeOf` answers the type of a resolved connection, or undefined when it
 * is not known (not resolved, or failed: reported elsewhere).
 */
export function connectionTypeProblems(
  assets: readonly Asset[],
  typeOf: (name: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const asset of assets) {
    if (asset.unsupported || asset.connection === "" || asset.platform === "") continue;
    const type = typeOf(asset.connection);
    if (type === undefined || canonicalPlatform(type) === asset.platform) continue;
    problems.push(
      `asset '${asset.name}' of type '${asset.type}' runs on a ${asset.platform} connection, but connection '${asset.connection}' is of type '${type}'`,
    );
  }
  return problems;
}
