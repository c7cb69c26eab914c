import { ConfigurationError } from "@bruin-ts/secrets-core";
import { AZURE_AUTH_METHODS, BACKEND_ID, KEY_VAULT_DOMAINS, type AzureAuthMethod } from "./descriptor.js";

// The constants and variables live with the descriptor, which loads nothing else.
export { AZURE_AUTH_METHODS, AZURE_ENV_VARIABLES, BACKEND_ID, KEY_VAULT_DOMAINS } from "./descriptor.js";
export type { AzureAuthMethod } from "./descriptor.js";

export interface AzureConfig {
  /** The vault URL, no trailing slash. */
  vaultUrl: string;
  authMethod: AzureAuthMethod;
  /** Client credentials: all three. Managed identity: `clientId` picks a user-assigned identity. */
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /**
   * BRUIN_AZURE_AUTHORITY_HOST, else AZURE_AUTHORITY_HOST: another Azure AD
   * authority. With one, the credential skips instance discovery and the
   * client does not check the challenge's resource against the vault's domain.
   */
  authorityHost?: string;
}

type Env = Record<string, string | undefined>;

const PREFIX = "failed to initialize Azure Key Vault client";

/**
 * Reads the configuration in the reference CLI's order (the vault URL, the
 * auth method, then the tenant, client id and client secret of client
 * credentials), so the first missing variable is the one reported. No
 * message holds a value.
 */
export function readAzureConfig(env: Env): AzureConfig {
  const rawUrl = required(env, "BRUIN_AZURE_KEYVAULT_URL");
  const method = nonEmpty(env.BRUIN_AZURE_AUTH_METHOD) ?? "default";
  if (!(AZURE_AUTH_METHODS as readonly string[]).includes(method)) {
    // Shown only when it looks like a method name: a secret pasted into the wrong variable must not be printed.
    const shown = /^[a-z_-]{1,32}$/i.test(method) ? `: ${method}` : "";
    throw configError(
      `unsupported Azure auth method${shown}`,
      `Set BRUIN_AZURE_AUTH_METHOD to one of ${AZURE_AUTH_METHODS.join(", ")}`,
    );
  }
  const authMethod = method as AzureAuthMethod;
  const config: AzureConfig = { vaultUrl: "", authMethod };
  if (authMethod === "client_credentials") {
    for (const [name, key] of [
      ["BRUIN_AZURE_TENANT_ID", "tenantId"],
      ["BRUIN_AZURE_CLIENT_ID", "clientId"],
      ["BRUIN_AZURE_CLIENT_SECRET", "clientSecret"],
    ] as const) {
      const value = nonEmpty(env[name]);
      if (value === undefined) {
        throw configError(`${name} env variable not set for client_credentials auth`, `Set ${name}`);
      }
      config[key] = value;
    }
  } else {
    const tenantId = nonEmpty(env.BRUIN_AZURE_TENANT_ID);
    const clientId = nonEmpty(env.BRUIN_AZURE_CLIENT_ID);
    if (tenantId !== undefined) config.tenantId = tenantId;
    if (clientId !== undefined) config.clientId = clientId;
  }
  const authority = authorityHost(env);
  if (authority !== undefined) config.authorityHost = authority;
  config.vaultUrl = parseVaultUrl(rawUrl, authority !== undefined);
  return config;
}

/** The vault URL as shown in messages: scheme, host and port. */
export function displayUrl(url: string): string {
  return new URL(url).origin;
}

function authorityHost(env: Env): string | undefined {
  const name =
    nonEmpty(env.BRUIN_AZURE_AUTHORITY_HOST) !== undefined ? "BRUIN_AZURE_AUTHORITY_HOST" : "AZURE_AUTHORITY_HOST";
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const url = parseUrl(raw);
  if (!url || url.protocol !== "https:" || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw configError(`${name} must be an https URL such as https://login.microsoftonline.us`, `Fix or unset ${name}`);
  }
  return raw.replace(/\/+$/, "");
}

function parseVaultUrl(raw: string, overridden: boolean): string {
  const url = parseUrl(raw);
  const valid =
    url !== undefined &&
    url.protocol === "https:" &&
    url.username === "" &&
    url.password === "" &&
    url.search === "" &&
    url.hash === "" &&
    (url.pathname === "/" || url.pathname === "") &&
    (overridden || KEY_VAULT_DOMAINS.some((domain) => url.hostname.toLowerCase().endsWith(domain)));
  if (!valid) {
    // The value is not shown: a secret pasted into the wrong variable must not be printed.
    throw configError(
      overridden
        ? "invalid Azure Key Vault URL: must be an https URL of a vault, such as https://<name>.vault.azure.net"
        : "invalid Azure Key Vault URL: must be https://<name>.vault.azure.net (or .vault.azure.cn, .vault.usgovcloudapi.net)",
      overridden
        ? "Fix BRUIN_AZURE_KEYVAULT_URL"
        : "Fix BRUIN_AZURE_KEYVAULT_URL; a vault elsewhere (a sovereign cloud, a test server) also needs BRUIN_AZURE_AUTHORITY_HOST",
    );
  }
  return raw.replace(/\/+$/, "");
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function required(env: Env, name: string): string {
  const value = nonEmpty(env[name]);
  if (value === undefined) throw configError(`${name} env variable not set`, `Set ${name}`);
  return value;
}

function configError(problem: string, hint: string): ConfigurationError {
  return new ConfigurationError(`${PREFIX}: ${problem}`, { backend: BACKEND_ID, hint });
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
