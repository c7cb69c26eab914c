import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { ConfigurationError, EXIT_CODES, formatBytes, MAX_RESPONSE_BYTES } from "@bruin-ts/secrets-core";
import yaml from "js-yaml";

export const CONFIG_FILE_NAME = ".bruin.yml";
const BACKEND_ID = "file";
const EXIT_CONFIG = EXIT_CODES.usage;

export interface RawConnection {
  name: string;
  type: string;
  fields: Record<string, unknown>;
}

export interface BruinConfig {
  file: string;
  defaultEnvironment: string;
  /** environment name → connection name → raw connection (values not yet expanded). */
  environments: Map<string, Map<string, RawConnection>>;
  /** environment name → its `schema_prefix`, for the environments that set one. */
  schemaPrefixes: Map<string, string>;
}

/**
 * The config file for a run: an explicit one, else the nearest `.bruin.yml`
 * walking up from `startDir`, stopping at the repository root (the folder
 * holding `.git`) or the filesystem root. A relative `explicit` path is taken
 * from `cwd` (the caller's working directory, not necessarily the process's).
 */
export function findConfigFile(startDir: string, explicit?: string, cwd: string = process.cwd()): string | undefined {
  if (explicit) return path.resolve(cwd, explicit);
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(dir, ".git"))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function configError(message: string, hint?: string): ConfigurationError {
  return new ConfigurationError(message, { backend: BACKEND_ID, exitCode: EXIT_CONFIG, hint });
}

export async function readConfigFile(file: string): Promise<BruinConfig> {
  let text: string;
  try {
    // Read whole only when it is of a sensible size (the cap on any answer of a secrets backend).
    const { size } = await stat(file);
    if (size > MAX_RESPONSE_BYTES) {
      throw configError(`config file '${file}' is too large: more than ${formatBytes(MAX_RESPONSE_BYTES)} (the limit)`);
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw configError(
      `could not read config file '${file}'${code ? ` (${code})` : ""}`,
      "Pass an existing file with --config-file or create a .bruin.yml next to your pipeline",
    );
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): BruinConfig {
  let root: unknown;
  try {
    // YAML 1.2 core schema, as pipeline.yml and asset headers are read.
    root = yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? {};
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    // The exception's message quotes the offending text, which may be a password: report the position and the
    // parser's reason only, without what the reason itself quotes (an alias or tag name: an unquoted password
    // starting with * or ! is read as one).
    const mark = error.mark as { line: number; column: number } | undefined;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : "";
    const reason = (error.reason ?? "syntax error").replace(/"[^"]*"|'[^']*'|!<[^>]*>|![^\s]*/g, "…");
    throw configError(`config file '${file}' is not valid YAML${where} (${reason})`);
  }
  if (!isRecord(root)) throw configError(`config file '${file}' must be a YAML mapping`);

  const environments = new Map<string, Map<string, RawConnection>>();
  const schemaPrefixes = new Map<string, string>();
  const rawEnvironments = root.environments ?? {};
  if (!isRecord(rawEnvironments)) throw configError(`config file '${file}': 'environments' must be a mapping`);
  for (const [envName, envValue] of Object.entries(rawEnvironments)) {
    const connections = new Map<string, RawConnection>();
    const rawConnections = isRecord(envValue) ? (envValue.connections ?? {}) : {};
    if (!isRecord(rawConnections)) {
      throw configError(`config file '${file}': environment '${envName}' has 'connections' that is not a mapping`);
    }
    for (const [type, list] of Object.entries(rawConnections)) {
      if (list === null || list === undefined) continue;
      if (!Array.isArray(list)) {
        throw configError(
          `config file '${file}': connections of type '${type}' in environment '${envName}' must be a list`,
        );
      }
      list.forEach((item: unknown, index) => {
        if (!isRecord(item) || typeof item.name !== "string" || item.name === "") {
          throw configError(
            `config file '${file}': connection #${index + 1} of type '${type}' in environment '${envName}' has no name`,
          );
        }
        const { name, ...fields } = item;
        if (connections.has(name)) {
          throw configError(`config file '${file}': connection '${name}' is defined twice in environment '${envName}'`);
        }
        connections.set(name, { name, type, fields });
      });
    }
    environments.set(envName, connections);
    const prefix = isRecord(envValue) ? envValue.schema_prefix : undefined;
    if (prefix !== undefined && prefix !== null && typeof prefix !== "string")
      throw configError(`config file '${file}': 'schema_prefix' of environment '${envName}' must be a string`);
    if (typeof prefix === "string" && prefix.trim() !== "") schemaPrefixes.set(envName, prefix.trim());
  }
  const defaultEnvironment =
    typeof root.default_environment === "string" && root.default_environment !== ""
      ? root.default_environment
      : "default";
  return { file, defaultEnvironment, environments, schemaPrefixes };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
