import path from "node:path";

/** Fields holding a file path, resolved against the config file's folder when relative. */
export const PATH_FIELDS = new Set([
  "path",
  "service_account_file",
  "private_key_path",
  "ssl_ca_path",
  "ssl_cert_path",
  "ssl_key_path",
]);

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
  }
}

/** Replaces `${VAR}` in every string, recursively; an unset variable is an error. */
export function expandVariables(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") {
    return value.replace(VARIABLE, (_match, name: string) => {
      const replacement = env[name];
      if (replacement === undefined) throw new MissingVariableError(name);
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item) => expandVariables(item, env));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandVariables(item, env)]));
  }
  return value;
}

/** Makes relative file paths absolute against `baseDir`; in-memory DuckDB stays as it is. */
export function resolvePaths(fields: Record<string, unknown>, baseDir: string): Record<string, unknown> {
  const resolved: Record<string, unknown> = { ...fields };
  for (const [key, value] of Object.entries(fields)) {
    if (!PATH_FIELDS.has(key) || typeof value !== "string" || value === "" || value === ":memory:") continue;
    if (value.startsWith("md:") || /^[a-z]+:\/\//i.test(value)) continue;
    const expandedHome = value.startsWith("~/") ? path.join(process.env.HOME ?? "~", value.slice(2)) : value;
    resolved[key] = path.resolve(baseDir, expandedHome);
  }
  return resolved;
}
