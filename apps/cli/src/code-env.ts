import { BACKENDS } from "./backends.js";

/** Prefixes of variables that hold a secrets backend's own credentials or connections. */
const CREDENTIAL_PREFIXES = ["BRUIN_INFISICAL_", "BRUIN_VAULT_", "BRUIN_DOPPLER_", "BRUIN_CONNECTION_"];

/**
 * The environment a Python or R asset inherits: this process's, minus every
 * variable a secrets backend reads (its credentials, such as
 * BRUIN_INFISICAL_CLIENT_SECRET, and the env backend's BRUIN_CONNECTION_<NAME>
 * connections), so a script sees only the secrets it asks for.
 */
export function codeAssetBaseEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const listed = new Set(BACKENDS.flatMap((backend) => backend.variables.map((variable) => variable.name)));
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    if (listed.has(key) || CREDENTIAL_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
    result[key] = value;
  }
  return result;
}
