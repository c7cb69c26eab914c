import { badRequest, validationFailure, type ValidationIssue } from "./errors.js";
import { normalizeSecretPath } from "./secret-store.js";

/** The validated query of a secrets read, after Infisical's defaults and transforms. */
export interface SecretQuery {
  projectId: string;
  environment: string;
  secretPath: string;
  type: "shared" | "personal";
  /** A version to read; absent or undefined: the latest. */
  version?: number | undefined;
  expandSecretReferences: boolean;
  includeImports: boolean;
  viewSecretValue: boolean;
  recursive: boolean;
  tagSlugs: string[];
}

export type ApiVersion = "v3" | "v4";

const enumIssue = (field: string, received: string, options: string[]): ValidationIssue => ({
  received,
  code: "invalid_enum_value",
  options,
  path: [field],
  message: `Invalid enum value. Expected ${options.map((o) => `'${o}'`).join(" | ")}, received '${received}'`,
});

/**
 * Validates like Infisical's zod schemas: booleans must be the strings
 * "true"/"false", `version` a number, `type` shared|personal, every key at
 * most once. Any failure is one 422 listing all issues; unknown keys are
 * ignored. Then the handler's own checks give 400 for a missing project or
 * environment.
 */
export function parseSecretQuery(query: URLSearchParams, api: ApiVersion, list: boolean): SecretQuery {
  const issues: ValidationIssue[] = [];
  const single = (field: string): string | undefined => {
    const values = query.getAll(field);
    if (values.length > 1) {
      issues.push({
        code: "invalid_type",
        expected: "string",
        received: "array",
        path: [field],
        message: "Expected string, received array",
      });
      return undefined;
    }
    return values[0]?.trim();
  };
  const bool = (field: string, fallback: boolean): boolean => {
    const raw = single(field);
    if (raw === undefined) return fallback;
    if (raw !== "true" && raw !== "false") {
      issues.push(enumIssue(field, raw, ["true", "false"]));
      return fallback;
    }
    return raw === "true";
  };

  const projectField = api === "v3" ? "workspaceId" : "projectId";
  const projectId = single(projectField);
  if (api === "v4" && projectId === undefined && query.getAll(projectField).length === 0) {
    issues.push({
      code: "invalid_type",
      expected: "string",
      received: "undefined",
      path: [projectField],
      message: "Required",
    });
  }
  const environment = single("environment");
  const secretPath = normalizeSecretPath(single("secretPath") ?? "/");
  const expandSecretReferences = bool("expandSecretReferences", false);
  const includeImports = bool("include_imports", false);
  const viewSecretValue = bool("viewSecretValue", true);
  const recursive = list ? bool("recursive", false) : false;

  let type: SecretQuery["type"] = "shared";
  let version: number | undefined;
  const tagSlugs: string[] = [];
  if (list) {
    for (const slug of (single("tagSlugs") ?? "").split(",")) if (slug.trim()) tagSlugs.push(slug.trim());
  } else {
    const rawType = single("type");
    if (rawType !== undefined) {
      if (rawType === "shared" || rawType === "personal") type = rawType;
      else issues.push(enumIssue("type", rawType, ["shared", "personal"]));
    }
    const rawVersion = single("version");
    if (rawVersion !== undefined) {
      const parsed = Number(rawVersion);
      if (Number.isNaN(parsed)) {
        issues.push({
          code: "invalid_type",
          expected: "number",
          received: "nan",
          path: ["version"],
          message: "Expected number, received nan",
        });
      } else {
        version = parsed;
      }
    }
  }

  if (issues.length > 0) throw validationFailure(issues);
  if (!projectId) throw badRequest("Missing workspace id");
  if (!environment) throw badRequest("Missing environment");
  return {
    projectId,
    environment,
    secretPath,
    type,
    ...(version === undefined ? {} : { version }),
    expandSecretReferences,
    includeImports,
    viewSecretValue,
    recursive,
    tagSlugs,
  };
}
