/**
 * How connection names map to environment variables. The mapping loses
 * information (case, and `-` versus `_`), so `my-pg`, `my_pg` and `MY_PG`
 * all read `BRUIN_CONNECTION_MY_PG`.
 */
export const CONNECTION_VARIABLE_PREFIX = "BRUIN_CONNECTION_";

export interface EnvBackendVariable {
  name: string;
  required: boolean;
  description: string;
}

/** The variables the backend reads, for `--help` output. */
export const ENV_BACKEND_VARIABLES: readonly EnvBackendVariable[] = [
  {
    name: `${CONNECTION_VARIABLE_PREFIX}<NAME>`,
    required: false,
    description:
      'one connection as JSON {"type": ..., "details": {...}}; NAME is the connection name upper-cased, with "-" as "_"',
  },
];

/** The variable a connection is read from: `my-postgres` → `BRUIN_CONNECTION_MY_POSTGRES`. */
export function connectionVariableName(connection: string): string {
  return CONNECTION_VARIABLE_PREFIX + connection.toUpperCase().replaceAll("-", "_");
}

/**
 * The connection names present in an environment, lower-cased
 * (`BRUIN_CONNECTION_MY_PG` → `my_pg`). Variables with an empty value count
 * as not set.
 */
export function connectionNamesIn(env: Record<string, string | undefined>): string[] {
  const names = new Set<string>();
  for (const [variable, value] of Object.entries(env)) {
    if (!variable.startsWith(CONNECTION_VARIABLE_PREFIX) || !hasValue(value)) continue;
    const suffix = variable.slice(CONNECTION_VARIABLE_PREFIX.length);
    if (suffix !== "") names.add(suffix.toLowerCase());
  }
  return [...names].sort();
}

export function hasValue(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}
