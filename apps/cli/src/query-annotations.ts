import type { Task } from "@bruin-ts/pipeline";
import { UsageError } from "./errors.js";

/** The value of `--query-annotations` that adds only the default annotations. */
const DEFAULT_ANNOTATIONS = "default";

/** A JSON object with its keys sorted, as the reference's (Go) encoder writes a map. */
function sortedJson(fields: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * `--query-annotations` (or BRUIN_QUERY_ANNOTATIONS): `default`, or a JSON
 * object whose fields are added to the defaults. Returns what each task's
 * statements are prefixed with, as the reference writes it:
 * `-- @bruin.config: {"asset":"…","pipeline":"…","type":"main"}` for an
 * asset, `{"asset_name","column_check_type","column_name","pipeline","type":"column_check"}`
 * for a column check and `type: custom_check` for a custom check; undefined
 * when not asked for. A value that is neither is a UsageError (exit 2).
 */
export function queryAnnotations(
  value: string | undefined,
  pipeline: string,
): ((task: Task) => string | undefined) | undefined {
  const text = value?.trim() ?? "";
  if (text === "") return undefined;
  let user: Record<string, unknown> = {};
  if (text !== DEFAULT_ANNOTATIONS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`invalid JSON in --query-annotations: expected 'default' or a JSON object, got '${text}'`);
    }
    user = parsed as Record<string, unknown>;
  }
  return (task) => {
    const base: Record<string, unknown> =
      task.kind === "column-check"
        ? {
            asset_name: task.asset.name,
            column_name: task.column.name,
            type: "column_check",
            column_check_type: task.check.name,
            pipeline,
          }
        : { asset: task.asset.name, type: task.kind === "asset" ? "main" : "custom_check", pipeline };
    return `-- @bruin.config: ${sortedJson({ ...base, ...user })}\n`;
  };
}
