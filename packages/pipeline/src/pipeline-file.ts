import yaml from "js-yaml";
import { isRecord, readMaterialization, readStartDate, readString, readStringList } from "./asset-fields.js";
import type { AssetDefaults } from "./asset-file.js";
import { readSecrets, readTimeout } from "./code-assets/fields.js";
import { readHooks } from "./hooks.js";
import { readIntervalModifiers } from "./interval-modifiers.js";
import { canonicalPlatform } from "./platforms.js";
import { readVariants, type Variants } from "./variants.js";

export interface PipelineFile {
  name: string;
  schedule?: string;
  startDate?: string;
  defaultConnections: Record<string, string>;
  variables: Record<string, unknown>;
  /** Variable name → its declaration (a JSON schema with a default). */
  variableSchemas: Record<string, Record<string, unknown>>;
  tags: string[];
  defaults: AssetDefaults;
  variants?: Variants;
  schemaPrefix?: string;
}

/** Parses the text of pipeline.yml, collecting every problem into `issues`. */
export function parsePipelineFile(text: string, displayPath: string, issues: string[]): PipelineFile {
  const report = (message: string) => issues.push(`${displayPath}: ${message}`);
  const empty: PipelineFile = {
    name: "",
    defaultConnections: {},
    variables: {},
    variableSchemas: {},
    tags: [],
    defaults: { tags: [] },
  };

  let raw: unknown;
  try {
    // The core schema, as YAML 1.2 reads it: no timestamps, `yes` stays a string.
    raw = yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? {};
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    issues.push(`${displayPath}:${(error.mark?.line ?? 0) + 1}: invalid YAML: ${error.reason}`);
    return empty;
  }
  if (!isRecord(raw)) {
    report("must be a YAML mapping");
    return empty;
  }

  const name = readString(raw.name, "name", report)?.trim() ?? "";
  if (!name) report("'name' is required");

  const defaultConnections: Record<string, string> = {};
  if (raw.default_connections !== undefined && raw.default_connections !== null) {
    if (!isRecord(raw.default_connections)) report("'default_connections' must map a platform to a connection name");
    else {
      for (const [platform, conn] of Object.entries(raw.default_connections)) {
        const value = readString(conn, `default_connections.${platform}`, report);
        if (value) defaultConnections[canonicalPlatform(platform)] = value;
      }
    }
  }

  const variables: Record<string, unknown> = {};
  const variableSchemas: Record<string, Record<string, unknown>> = {};
  if (raw.variables !== undefined && raw.variables !== null) {
    if (!isRecord(raw.variables)) report("'variables' must map a variable name to {type, default}");
    else {
      for (const [variable, spec] of Object.entries(raw.variables)) {
        if (!isRecord(spec) || !("default" in spec)) report(`variable '${variable}' needs a 'default'`);
        else {
          variables[variable] = spec.default;
          variableSchemas[variable] = spec;
        }
      }
    }
  }

  const defaults: AssetDefaults = { tags: [] };
  if (raw.default !== undefined && raw.default !== null) {
    if (!isRecord(raw.default)) report("'default' must be a mapping of asset defaults");
    else {
      const d = raw.default;
      const type = readString(d.type, "default.type", report);
      const connection = readString(d.connection, "default.connection", report);
      const materialization = readMaterialization(d.materialization, report);
      if (type) defaults.type = type;
      if (connection) defaults.connection = connection;
      if (materialization) defaults.materialization = materialization;
      defaults.tags = readStringList(d.tags, "default.tags", report);
      const secrets = readSecrets(d.secrets, "default.secrets", report);
      if (secrets.length > 0) defaults.secrets = secrets;
      const timeoutMs = readTimeout(d.timeout, "default.timeout", report);
      if (timeoutMs !== undefined) defaults.timeoutMs = timeoutMs;
      const hooks = readHooks(d.hooks, "default.hooks", report);
      if (hooks) defaults.hooks = hooks;
      const intervalModifiers = readIntervalModifiers(d.interval_modifiers, "default.interval_modifiers", report);
      if (intervalModifiers) defaults.intervalModifiers = intervalModifiers;
    }
  }

  const variants = readVariants(raw.variants, Object.keys(variables), report);
  const schemaPrefix = readString(raw.schema_prefix, "schema_prefix", report)?.trim();
  const schedule = readString(raw.schedule, "schedule", report);
  const startDate = readStartDate(raw.start_date, "pipeline", report);
  return {
    name,
    ...(schedule ? { schedule } : {}),
    ...(startDate ? { startDate } : {}),
    defaultConnections,
    variables,
    variableSchemas,
    tags: readStringList(raw.tags, "tags", report),
    defaults,
    ...(variants ? { variants } : {}),
    ...(schemaPrefix ? { schemaPrefix } : {}),
  };
}
