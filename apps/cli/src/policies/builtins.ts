import { columnTypeRules } from "@bruin-ts/pipeline";
import { queryColumns } from "./query-columns.js";
import type { Subject } from "./subjects.js";

/** One violation: what is wrong, and (for some rules) the items it is about. */
export interface Finding {
  description: string;
  context: string[];
}

export type AssetCheck = (asset: Subject, pipeline: Subject) => Finding[];
export type PipelineCheck = (pipeline: Subject) => Finding[];

export type BuiltinRule = { target: "asset"; check: AssetCheck } | { target: "pipeline"; check: PipelineCheck };

const SNAKE_CASE = /^[a-z]+(_[a-z]+)*$/;
const CAMEL_CASE = /^[a-z]+(?:[A-Z][a-z0-9]+)*$/;

/** Descriptions that stand in for one not written yet; matched anywhere in the text, ignoring case. */
const PLACEHOLDERS = [
  "todo",
  "fixme",
  "tbd",
  "wip",
  "temp",
  "temporary",
  "placeholder",
  "add description",
  "description goes here",
  "to be added",
  "work in progress",
];

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function items(value: unknown): Subject[] {
  return Array.isArray(value) ? (value as Subject[]) : [];
}

function one(description: string): Finding[] {
  return [{ description, context: [] }];
}

function columns(asset: Subject): Subject[] {
  return items(asset.Columns);
}

/** Every column passes `ok`, or one finding for the asset. */
function everyColumn(asset: Subject, ok: (column: Subject) => boolean, description: string): Finding[] {
  return columns(asset).every(ok) ? [] : one(description);
}

function placeholderIn(text: string): string | undefined {
  const lower = text.trim().toLowerCase();
  return lower === "" ? undefined : PLACEHOLDERS.find((placeholder) => lower.includes(placeholder));
}

const assetRule = (check: AssetCheck): BuiltinRule => ({ target: "asset", check });
const pipelineRule = (check: PipelineCheck): BuiltinRule => ({ target: "pipeline", check });

/**
 * The rules a policy names without defining them, with the reference's
 * descriptions. Asset rules run on each asset a ruleset selects, pipeline
 * rules on the pipeline.
 */
export const BUILTIN_RULES: Record<string, BuiltinRule> = {
  "asset-name-is-lowercase": assetRule((asset) =>
    str(asset.Name).toLowerCase() === str(asset.Name) ? [] : one("Asset name must be lowercase"),
  ),
  "asset-name-is-schema-dot-table": assetRule((asset) =>
    str(asset.Name).split(".").length === 2 ? [] : one("Asset name must be of the form {schema}.{table}"),
  ),
  "asset-has-description": assetRule((asset) =>
    str(asset.Description).trim() !== "" ? [] : one("Asset must have a description"),
  ),
  "asset-has-owner": assetRule((asset) => (str(asset.Owner).trim() !== "" ? [] : one("Asset must have an owner"))),
  "asset-has-columns": assetRule((asset) => (columns(asset).length > 0 ? [] : one("Asset must have columns"))),
  "asset-has-primary-key": assetRule((asset) =>
    columns(asset).some((column) => column.PrimaryKey === true) ? [] : one("Asset must have atleast one primary key"),
  ),
  "asset-has-checks": assetRule((asset) => {
    const count =
      columns(asset).reduce((sum, column) => sum + items(column.Checks).length, 0) + items(asset.CustomChecks).length;
    return count > 0 ? [] : one("Asset must have atleast one check");
  }),
  "asset-has-tags": assetRule((asset) => (items(asset.Tags).length > 0 ? [] : one("Asset must have tags"))),
  "column-has-description": assetRule((asset) =>
    everyColumn(asset, (column) => str(column.Description).trim() !== "", "Column must have a description"),
  ),
  "column-has-type": assetRule((asset) =>
    everyColumn(asset, (column) => str(column.Type).trim() !== "", "Column must have a type"),
  ),
  "column-name-is-snake-case": assetRule((asset) =>
    everyColumn(asset, (column) => SNAKE_CASE.test(str(column.Name)), "Column names must be in snake_case"),
  ),
  "column-name-is-camel-case": assetRule((asset) =>
    everyColumn(asset, (column) => CAMEL_CASE.test(str(column.Name)), "Column names must be in camelCase"),
  ),
  "column-type-is-valid-for-platform": assetRule((asset) => {
    const rules = columnTypeRules(str(asset.Type));
    if (rules === undefined) return [];
    const { types: valid, label: platform } = rules;
    return columns(asset).flatMap((column) => {
      const declared = str(column.Type);
      if (declared.trim() === "") return [];
      const normalized = declared.toLowerCase().split("(")[0]!.trim();
      return valid.has(normalized)
        ? []
        : one(`Column '${str(column.Name)}' has invalid type '${declared}' for platform '${platform}'`);
    });
  }),
  "description-must-not-be-placeholder": assetRule((asset) => {
    const findings: Finding[] = [];
    const inAsset = placeholderIn(str(asset.Description));
    if (inAsset !== undefined) {
      findings.push(...one(`Asset description appears to contain placeholder text: '${inAsset}'`));
    }
    for (const column of columns(asset)) {
      const inColumn = placeholderIn(str(column.Description));
      if (inColumn !== undefined) {
        findings.push(
          ...one(`Column '${str(column.Name)}' description appears to contain placeholder text: '${inColumn}'`),
        );
      }
    }
    return findings;
  }),
  "asset-has-no-cross-pipeline-dependencies": assetRule((asset) =>
    items(asset.Upstreams).some((upstream) => upstream.Type === "uri")
      ? one("Asset must not have a cross pipeline dependency")
      : [],
  ),
  "query-matches-columns": assetRule((asset) => {
    if (!str(asset.Type).endsWith(".sql")) return [];
    const found = queryColumns(str((asset.ExecutableFile as Subject | null)?.Content));
    if (found === undefined || found.length === 0) return [];
    const declared = new Set(columns(asset).map((column) => str(column.Name)));
    const missing = found.filter((name) => !declared.has(name));
    return missing.length === 0
      ? []
      : [
          {
            description: `Columns found in query but missing from columns metadata: ${missing.join(", ")}`,
            context: missing,
          },
        ];
  }),
  "pipeline-has-notifications": pipelineRule((pipeline) => {
    const notifications = (pipeline.Notifications ?? {}) as Subject;
    const channels = ["Slack", "MSTeams", "Discord"].some((kind) => items(notifications[kind]).length > 0);
    return channels ? [] : one("Pipeline must have at least one notification set up");
  }),
  "pipeline-has-retries": pipelineRule((pipeline) =>
    typeof pipeline.Retries === "number" && pipeline.Retries > 0
      ? []
      : one("Pipeline must have `retries` set to a value greater than zero"),
  ),
  "pipeline-has-start-date": pipelineRule((pipeline) =>
    str(pipeline.StartDate).trim() !== "" ? [] : one("Pipeline must have a start date"),
  ),
  "pipeline-has-metadata-push": pipelineRule((pipeline) => {
    const push = (pipeline.MetadataPush ?? {}) as Subject;
    return Object.values(push).some((enabled) => enabled === true)
      ? []
      : one("Pipeline must have metadata push enabled");
  }),
};
