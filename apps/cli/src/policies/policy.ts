import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { BUILTIN_RULES, type AssetCheck, type Finding, type PipelineCheck } from "./builtins.js";
import { compileCriteria } from "./expression.js";
import type { Subject } from "./subjects.js";

/**
 * A `policy.yml` (or `policy.yaml`): rulesets that apply built-in rules and
 * custom rules (expressions over an asset or its pipeline) to the assets and
 * pipelines their selectors pick. See docs: getting-started/policies.
 */

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

const SELECTOR_KEYS = ["path", "pipeline", "asset", "tag"] as const;
type SelectorKey = (typeof SELECTOR_KEYS)[number];
const NAME = /^[A-Za-z0-9-]+$/;

interface Selector {
  key: SelectorKey;
  pattern: RegExp;
}

interface CompiledRule {
  /** `policy:<ruleset>:<rule>`, as the reference names a policy rule in its output. */
  id: string;
  ruleset: string;
  rule: string;
  selectors: Selector[];
  target: "asset" | "pipeline";
  asset?: AssetCheck;
  pipeline?: PipelineCheck;
}

export interface Policy {
  file: string;
  rules: CompiledRule[];
}

/** One violation, of one rule of one ruleset, by an asset (or by the pipeline when `asset` is absent). */
export interface PolicyViolation {
  id: string;
  ruleset: string;
  rule: string;
  asset?: string;
  description: string;
  context: string[];
}

/** What the rules look at: the pipeline, its assets (by name) and the run's variables. */
export interface PolicySubjects {
  pipeline: Subject;
  /** The pipeline's `pipeline.yml`, absolute (the `path` selector of pipeline rules). */
  pipelineFile: string;
  assets: { subject: Subject; path: string; tags: string[] }[];
  variables: Record<string, unknown>;
  /** False when one asset was given: only the asset rules apply then, as in the reference. */
  wholePipeline: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function trimmed(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** A selector's pattern matches the whole subject (`^…$` added where missing), except `tag`'s, which may match part. */
function selectorPattern(key: SelectorKey, value: unknown): RegExp {
  if (typeof value !== "string") {
    throw new PolicyError(`invalid selector value for key ${key}: ${JSON.stringify(value)}`);
  }
  let source = value;
  if (key !== "tag") {
    if (!source.startsWith("^")) source = `^${source}`;
    if (!source.endsWith("$")) source = `${source}$`;
  }
  try {
    return new RegExp(source);
  } catch (error) {
    throw new PolicyError(`error matching ${key}: ${(error as Error).message}`);
  }
}

function selectorsOf(raw: unknown): Selector[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PolicyError("selector must be a list of predicates");
  return raw.flatMap((item: unknown) => {
    if (!isRecord(item)) throw new PolicyError(`invalid selector: ${JSON.stringify(item)}`);
    return Object.entries(item).map(([key, value]) => {
      if (!(SELECTOR_KEYS as readonly string[]).includes(key)) {
        throw new PolicyError(`error matching selector: unknown selector key: ${key}`);
      }
      return { key: key as SelectorKey, pattern: selectorPattern(key as SelectorKey, value) };
    });
  });
}

/** A custom rule as an asset or pipeline check: its description when the criteria evaluate to false. */
function customRule(
  name: string,
  description: string,
  criteria: string,
): {
  asset: (variables: Record<string, unknown>) => AssetCheck;
  pipeline: (v: Record<string, unknown>) => PipelineCheck;
} {
  let compiled;
  try {
    compiled = compileCriteria(criteria);
  } catch (error) {
    throw new PolicyError(`error compiling rule: ${name}: ${(error as Error).message}`);
  }
  const evaluate = (context: Record<string, unknown>): Finding[] => {
    let passed: boolean;
    try {
      passed = compiled.evaluate(context);
    } catch (error) {
      throw new PolicyError(`error evaluating rule ${name}: ${(error as Error).message}`);
    }
    return passed ? [] : [{ description, context: [] }];
  };
  return {
    asset: (variables) => (asset, pipeline) => evaluate({ asset, pipeline, var: variables }),
    pipeline: (variables) => (pipeline) => evaluate({ pipeline, var: variables }),
  };
}

interface CustomDefinition {
  name: string;
  description: string;
  criteria: string;
  target: "asset" | "pipeline";
}

function customDefinitions(raw: unknown): Map<string, CustomDefinition> {
  const definitions = new Map<string, CustomDefinition>();
  if (raw === undefined || raw === null) return definitions;
  if (!Array.isArray(raw)) throw new PolicyError("custom_rules must be a list");
  raw.forEach((item: unknown, index) => {
    const rule = isRecord(item) ? item : {};
    const invalid = (reason: string) => new PolicyError(`invalid rule definition at index ${index}: ${reason}`);
    const name = trimmed(rule.name);
    if (name === "") throw invalid("Name is empty");
    if (!NAME.test(name)) throw invalid("Only alphanumeric characters and dash allowed");
    if (trimmed(rule.description) === "") throw invalid("Description is empty");
    if (trimmed(rule.criteria) === "") throw invalid("Criteria is empty");
    const target = rule.target === undefined || rule.target === null || rule.target === "" ? "asset" : rule.target;
    if (target !== "asset" && target !== "pipeline") throw invalid("No such target");
    if (definitions.has(name)) throw new PolicyError(`duplicate rule: ${name}`);
    if (BUILTIN_RULES[name] !== undefined) throw new PolicyError(`rule is builtin: ${name}`);
    definitions.set(name, {
      name,
      description: String(rule.description),
      criteria: String(rule.criteria),
      target,
    });
  });
  return definitions;
}

/**
 * Reads and checks a policy file: every custom rule has a name (letters,
 * digits, dashes), a description and criteria that compile, and a known
 * target; every ruleset has a name and rules that exist; selectors use
 * known predicates with valid regular expressions. Throws a PolicyError
 * naming the first problem.
 */
export function loadPolicy(file: string, variables: Record<string, unknown>): Policy {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PolicyError(`error reading policy file: ${(error as Error).message}`);
  }
  const spec = isRecord(raw) ? raw : {};
  const definitions = customDefinitions(spec.custom_rules);
  const compiled = new Map<string, ReturnType<typeof customRule>>();
  for (const definition of definitions.values()) {
    compiled.set(definition.name, customRule(definition.name, definition.description, definition.criteria));
  }
  const rulesets = spec.rulesets ?? [];
  if (!Array.isArray(rulesets)) throw new PolicyError("rulesets must be a list");
  const rules: CompiledRule[] = [];
  rulesets.forEach((item: unknown, index) => {
    const ruleset = isRecord(item) ? item : {};
    const invalid = (reason: string) => new PolicyError(`invalid ruleset at index ${index}: ${reason}`);
    const name = trimmed(ruleset.name);
    if (name === "") throw invalid("Name is empty");
    if (!NAME.test(name)) throw invalid("Only alphanumeric characters and dash allowed");
    const names = Array.isArray(ruleset.rules) ? (ruleset.rules as unknown[]) : [];
    if (names.length === 0) throw invalid("No rules specified");
    const selectors = selectorsOf(ruleset.selector);
    for (const ruleName of names.map(String)) {
      const id = `policy:${name}:${ruleName}`;
      const custom = definitions.get(ruleName);
      const builtin = BUILTIN_RULES[ruleName];
      if (custom !== undefined) {
        const checks = compiled.get(ruleName)!;
        rules.push(
          custom.target === "asset"
            ? { id, ruleset: name, rule: ruleName, selectors, target: "asset", asset: checks.asset(variables) }
            : {
                id,
                ruleset: name,
                rule: ruleName,
                selectors,
                target: "pipeline",
                pipeline: checks.pipeline(variables),
              },
        );
      } else if (builtin !== undefined) {
        rules.push(
          builtin.target === "asset"
            ? { id, ruleset: name, rule: ruleName, selectors, target: "asset", asset: builtin.check }
            : { id, ruleset: name, rule: ruleName, selectors, target: "pipeline", pipeline: builtin.check },
        );
      } else {
        throw new PolicyError(`no such rule: ${ruleName}`);
      }
    }
  });
  return { file, rules };
}

/** Every predicate of the ruleset matches; `asset` and `tag` are left out for pipeline rules. */
function selected(
  selectors: readonly Selector[],
  subjects: PolicySubjects,
  asset: PolicySubjects["assets"][number] | undefined,
): boolean {
  return selectors.every(({ key, pattern }) => {
    switch (key) {
      case "pipeline":
        return pattern.test(String(subjects.pipeline.Name ?? ""));
      case "path":
        return pattern.test(asset ? asset.path : subjects.pipelineFile);
      case "asset":
        return asset === undefined || pattern.test(String(asset.subject.Name ?? ""));
      case "tag":
        return asset === undefined || pattern.test(asset.tags.join(" "));
    }
  });
}

/** Runs every rule of the policy, ruleset by ruleset, over the assets and the pipeline they select. */
export function evaluatePolicy(policy: Policy, subjects: PolicySubjects): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const rule of policy.rules) {
    const base = { id: rule.id, ruleset: rule.ruleset, rule: rule.rule };
    if (rule.asset !== undefined) {
      for (const asset of subjects.assets) {
        if (!selected(rule.selectors, subjects, asset)) continue;
        for (const finding of rule.asset(asset.subject, subjects.pipeline)) {
          violations.push({ ...base, asset: String(asset.subject.Name), ...finding });
        }
      }
    }
    if (rule.pipeline !== undefined && subjects.wholePipeline && selected(rule.selectors, subjects, undefined)) {
      for (const finding of rule.pipeline(subjects.pipeline)) violations.push({ ...base, ...finding });
    }
  }
  return violations;
}
