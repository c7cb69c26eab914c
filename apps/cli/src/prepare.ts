import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Asset, Pipeline } from "@bruin-ts/pipeline";
import type { Interval } from "./interval.js";
import type { CliIO } from "./io.js";

/** What `run` and `validate` both take from the command line about the pipeline. */
export interface PrepareRunOptions {
  path: string;
  vars?: string[] | undefined;
  tags?: string[] | undefined;
  excludeTags?: string[] | undefined;
  downstream?: boolean | undefined;
  /** `--selector`: a selection expression. */
  selector?: string | undefined;
  /** `--modified`: only the assets whose files changed against git HEAD. */
  modified?: boolean | undefined;
  /** Return the pipeline's load problems in `loadIssues` instead of failing (validate reports them per asset). */
  collectIssues?: boolean | undefined;
  /** `--variant`: the pipeline variant whose variables apply. */
  variant?: string | undefined;
  /** A pipeline that declares variants needs `--variant` (as `run` does). */
  requireVariant?: boolean | undefined;
  /** Where `.bruin.yml` and its environment are (the environment's `schema_prefix` applies). */
  secretsBackend?: string | undefined;
  environment?: string | undefined;
  configFile?: string | undefined;
}

/**
 * A pipeline as `run` would run it: loaded, its variables resolved and
 * checked, its assets selected. `run` and `validate` both start from
 * `prepareRun()` and check it with the same functions below, so what
 * `validate` accepts is what `run` accepts.
 */
export interface PreparedRun {
  lib: typeof import("@bruin-ts/pipeline");
  pipeline: Pipeline;
  /** The one asset file given as the path, if one was. */
  selectedAsset: Asset | undefined;
  /** The assets the run covers (the selected file, `--downstream`, tags). */
  assets: Asset[];
  /** `--var` and BRUIN_VARS as given. */
  overrides: Record<string, unknown>;
  /** The pipeline's variables with the overrides applied. */
  variables: Record<string, unknown>;
  interval: Interval;
  /** Every connection the assets use, and those code assets ask for in `secrets:`, sorted. */
  connectionNames: string[];
  /** The PATH Python and R interpreters are looked for on (the CLI's environment's). */
  pathVariable: string | undefined;
  /** With `collectIssues`: what loading the pipeline found wrong, about any of its assets. */
  loadIssues: string[];
}

/**
 * Loads the pipeline at `options.path` and selects what a run covers; checks
 * the `--var` values against the pipeline's declarations (a VariableError,
 * exit 2). Opens no backend and no database.
 */
export async function prepareRun(options: PrepareRunOptions, io: CliIO, interval: Interval): Promise<PreparedRun> {
  const lib = await import("@bruin-ts/pipeline");
  const overrides = lib.parseVarFlags(options.vars ?? [], io.env.BRUIN_VARS);
  const target = path.resolve(io.cwd, options.path);
  const {
    pipeline,
    selectedAsset,
    issues: loadIssues = [],
  } = await lib.loadPipeline(target, {
    collectIssues: options.collectIssues === true,
    variant: options.variant,
    requireVariant: options.requireVariant === true,
    variables: overrides,
    // The environment's schema_prefix wins over the pipeline's.
    schemaPrefix: await environmentSchemaPrefix(options, io, target),
  });
  const variables = lib.resolveVariables(pipeline, overrides);
  await lib.checkVariableTypes(pipeline, overrides);
  const modifiedFiles = options.modified
    ? await (await import("./git-changes.js")).changedFiles(path.resolve(io.cwd, options.path))
    : undefined;
  const assets = lib.selectAssets(pipeline, {
    ...(selectedAsset ? { asset: selectedAsset } : {}),
    downstream: options.downstream === true,
    tags: options.tags ?? [],
    excludeTags: options.excludeTags ?? [],
    ...(options.selector !== undefined ? { selector: options.selector, selectorContext: { cwd: io.cwd } } : {}),
    ...(modifiedFiles ? { modifiedFiles } : {}),
  });
  const connectionNames = [...new Set([...lib.connectionNames(assets), ...lib.secretNames(assets)])].sort();
  return {
    lib,
    pipeline,
    selectedAsset,
    assets,
    overrides,
    variables,
    interval,
    connectionNames,
    pathVariable: io.env.PATH,
    loadIssues,
  };
}

/**
 * The `schema_prefix` of the `.bruin.yml` environment the run uses (the file
 * backend's config file and environment), if it sets one. Other backends
 * have no such setting. A config file that cannot be read is left to the
 * backend to report.
 */
async function environmentSchemaPrefix(
  options: PrepareRunOptions,
  io: CliIO,
  target: string,
): Promise<string | undefined> {
  const wanted = (options.secretsBackend ?? io.env.BRUIN_SECRETS_BACKEND ?? "").trim().toLowerCase() || "file";
  if (wanted !== "file") return undefined;
  const { findConfigFile, readConfigFile } = await import("@bruin-ts/backend-file");
  // The config file is looked for from the pipeline folder (or the asset file's), as the file backend does.
  const startDir = existsSync(target) && statSync(target).isDirectory() ? target : path.dirname(target);
  const file = findConfigFile(startDir, options.configFile ?? io.env.BRUIN_CONFIG_FILE, io.cwd);
  if (!file) return undefined;
  try {
    const config = await readConfigFile(file);
    const environment = options.environment ?? io.env.BRUIN_ENVIRONMENT ?? config.defaultEnvironment;
    return config.schemaPrefixes.get(environment || config.defaultEnvironment);
  } catch {
    return undefined;
  }
}

/**
 * The pipeline's own problems, one line each: asset types, dependencies,
 * cycles, materializations, what each engine supports, templates, undeclared
 * variables, the pipeline's policy rules. With `resolveConnection`, also every
 * connection of the assets (each resolved through it) and the type each asset
 * needs of its connection.
 */
export async function pipelineProblems(
  prepared: PreparedRun,
  resolveConnection?: (name: string) => Promise<unknown>,
): Promise<string[]> {
  const { issues } = await prepared.lib.validatePipeline(prepared.pipeline, prepared.assets, {
    variables: prepared.overrides,
    interval: prepared.interval,
    ...(prepared.pathVariable !== undefined ? { pathVariable: prepared.pathVariable } : {}),
    ...(resolveConnection ? { resolveConnection } : {}),
  });
  // The rules of the policy file (policy.yml) that governs the pipeline, one line per asset and rule.
  const { policyProblems } = await import("./policies/index.js");
  return [...issues, ...(await policyProblems(prepared))];
}

/** Assets whose connection is of another platform's type (`my.sql` on postgres), once the types are known. */
export function connectionTypeProblems(prepared: PreparedRun, typeOf: (name: string) => string | undefined): string[] {
  return prepared.lib.connectionTypeProblems(prepared.assets, typeOf);
}

/**
 * One line per connection whose driver package is not installed, naming the
 * npm package to add (a setup problem: exit 2). Loads no driver.
 */
export async function missingDriverProblems(connections: Iterable<{ name: string; type: string }>): Promise<string[]> {
  const { assertDriverInstalled, MissingDriverError } = await import("@bruin-ts/connections");
  const lines: string[] = [];
  for (const connection of connections) {
    try {
      assertDriverInstalled(connection);
    } catch (error) {
      if (!(error instanceof MissingDriverError)) throw error;
      lines.push(error.message);
    }
  }
  return lines;
}
