import { isRecord, type Report } from "./asset-fields.js";
import { VariableError } from "./errors.js";
import type { Asset, Pipeline } from "./model.js";
import { displayPath } from "./display-path.js";
import { environment, renderTemplate, type TemplateContext } from "./render.js";
import { checkVariableTypes } from "./vars.js";

/** `variants:` of pipeline.yml: variant name → the variables it overrides. */
export type Variants = Record<string, Record<string, unknown>>;

const VARIANT_NAME = /^[a-zA-Z0-9_-]+$/;

/**
 * Reads `variants:`. Each variant's name must match `[a-zA-Z0-9_-]+` and it
 * may override only variables the pipeline declares.
 */
export function readVariants(value: unknown, declared: readonly string[], report: Report): Variants | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    report("'variants' must map a variant name to the variables it overrides");
    return undefined;
  }
  const variants: Variants = {};
  for (const [name, overrides] of Object.entries(value)) {
    if (!VARIANT_NAME.test(name)) report(`variant '${name}': the name must match [a-zA-Z0-9_-]+`);
    if (overrides !== null && overrides !== undefined && !isRecord(overrides)) {
      report(`variant '${name}' must map variable names to values`);
      continue;
    }
    const values = overrides ?? {};
    for (const variable of Object.keys(values)) {
      if (!declared.includes(variable)) report(`variant '${name}' references unknown variable "${variable}"`);
    }
    variants[name] = values;
  }
  return variants;
}

/**
 * The pipeline as the variant `name` makes it: its variables' defaults with
 * the variant's overrides on top (`--var` still overrides both). A pipeline
 * that declares variants needs one picked when `required` (as `run` does);
 * naming a variant the pipeline does not declare is an error. The variant's
 * values are checked against the variables' declarations.
 */
export async function applyVariant(
  pipeline: Pipeline,
  name: string | undefined,
  options: { required?: boolean } = {},
): Promise<Pipeline> {
  const variants = pipeline.variants;
  const declared = Object.keys(variants ?? {});
  if (name === undefined) {
    if (options.required && declared.length > 0)
      throw new VariableError(
        `pipeline '${pipeline.name}' declares variants; pick one with --variant: ${declared.join(", ")}`,
      );
    return pipeline;
  }
  if (!variants || declared.length === 0)
    throw new VariableError(`--variant '${name}': pipeline '${pipeline.name}' declares no variants`);
  const overrides = variants[name];
  if (!overrides)
    throw new VariableError(`unknown variant '${name}'; pipeline '${pipeline.name}' declares: ${declared.join(", ")}`);
  await checkVariableTypes(pipeline, overrides, `variant '${name}'`);
  return { ...pipeline, variables: { ...pipeline.variables, ...overrides }, variant: name };
}

const TEMPLATE = /\{[{%]/;

/**
 * Renders the templated identity fields — the pipeline's name, each asset's
 * `name` and `depends` — with the variables (`{{ var.client }}_users`), so a
 * variant names its own assets. Returns the pipeline name; a field that does
 * not render is a problem naming the asset's file.
 */
export function renderIdentities(
  pipelineName: string,
  assets: Asset[],
  variables: Record<string, unknown>,
  issues: string[],
): string {
  const context = { var: variables };
  const render = (text: string, what: string, where: string): string => {
    if (!TEMPLATE.test(text)) return text;
    try {
      return environment.renderString(text, context).trim();
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split("\n").pop()!.trim();
      issues.push(`${where}: cannot render ${what}: ${reason}`);
      return text;
    }
  };
  for (const asset of assets) {
    const where = `asset '${asset.name}' (${displayPath(asset.path)})`;
    asset.name = render(asset.name, "its name", where);
    asset.depends = asset.depends.map((dep) => render(dep, `the dependency '${dep}'`, where));
    if (asset.symbolicDepends)
      asset.symbolicDepends = asset.symbolicDepends.map((dep) => render(dep, `the dependency '${dep}'`, where));
  }
  return render(pipelineName, "the pipeline name", "pipeline.yml");
}

/** The variables a variant gives: the declared defaults, the variant's values, then `overrides` (`--var`). */
export function variantVariables(
  defaults: Record<string, unknown>,
  variants: Variants | undefined,
  variant: string | undefined,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...defaults, ...(variant ? variants?.[variant] : undefined), ...overrides };
}

/** Words an `enabled:` value may render to. */
const TRUE = new Set(["true", "yes", "1"]);
const FALSE = new Set(["false", "no", "0", ""]);

/**
 * Whether the asset runs: `enabled:` as written (true when absent), a
 * template rendered with the run's context (e.g. `"{{ var.include_x }}"`).
 * A disabled asset and its checks are skipped, and its downstream go on.
 */
export function assetEnabled(asset: Asset, context: TemplateContext): boolean {
  const value = asset.enabled;
  if (value === undefined || typeof value === "boolean") return value ?? true;
  const rendered = renderTemplate(value, context, { asset, what: "'enabled' field" }).trim().toLowerCase();
  if (TRUE.has(rendered)) return true;
  if (FALSE.has(rendered)) return false;
  throw new Error(`asset '${asset.name}' (${displayPath(asset.path)}): 'enabled' must render to true or false`);
}
