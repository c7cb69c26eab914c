import type { Asset, Pipeline } from "@bruin-ts/pipeline";
import type { Definitions } from "../parse-json.js";
import { locatePolicy } from "./locate.js";
import type { PolicyViolation } from "./policy.js";

export type { PolicyViolation } from "./policy.js";

/** What policies need of a prepared run (prepare.ts). */
export interface PolicyInput {
  lib: Pick<typeof import("@bruin-ts/pipeline"), "readAssetDefinition" | "readPipelineDefinition">;
  pipeline: Pipeline;
  /** The assets the run covers: the asset rules apply to these. */
  assets: readonly Asset[];
  /** The one asset file given as the path, if one was: then the pipeline rules do not apply. */
  selectedAsset: Asset | undefined;
  /** The pipeline's variables with the overrides applied: `var` in criteria. */
  variables: Record<string, unknown>;
}

/**
 * The violations of the policy file that governs the pipeline (see
 * `locatePolicy`); none when there is no policy file. A policy file that
 * cannot be read or names an unknown rule, or a criteria expression that
 * fails to evaluate, throws a PolicyError.
 */
export async function policyViolations(input: PolicyInput): Promise<PolicyViolation[]> {
  const file = locatePolicy(input.pipeline.dir);
  if (file === undefined) return [];
  // The rule engine (and its expression language) loads only for a pipeline a policy governs.
  const { evaluatePolicy, loadPolicy, PolicyError } = await import("./policy.js");
  const { assetSubject, pipelineSubject } = await import("./subjects.js");
  let policy;
  try {
    policy = loadPolicy(file, input.variables);
  } catch (error) {
    if (error instanceof PolicyError) throw new PolicyError(`error reading policy ${file}: ${error.message}`);
    throw error;
  }
  if (policy.rules.length === 0) return [];
  const [raw, assets] = await Promise.all([
    input.lib.readPipelineDefinition(input.pipeline),
    Promise.all(
      input.pipeline.assets.map(async (asset) => [asset.path, await input.lib.readAssetDefinition(asset)] as const),
    ),
  ]);
  const definitions: Definitions = { pipeline: raw, assets: new Map(assets) };
  return evaluatePolicy(policy, {
    pipeline: pipelineSubject(input.pipeline, definitions),
    pipelineFile: input.pipeline.file,
    assets: input.assets.map((asset) => ({
      subject: assetSubject(asset, definitions),
      path: asset.path,
      tags: asset.tags,
    })),
    variables: input.variables,
    wholePipeline: input.selectedAsset === undefined,
  });
}

/**
 * One line per violation, as `validate` and `run` list a pipeline's problems:
 * `asset 'x': <description> (policy:<ruleset>:<rule>)`, or
 * `pipeline 'p': …` for a pipeline rule.
 */
export function violationLine(violation: PolicyViolation, pipelineName: string): string {
  const subject = violation.asset !== undefined ? `asset '${violation.asset}'` : `pipeline '${pipelineName}'`;
  return `${subject}: ${violation.description} (${violation.id})`;
}

export async function policyProblems(input: PolicyInput): Promise<string[]> {
  return (await policyViolations(input)).map((violation) => violationLine(violation, input.pipeline.name));
}
