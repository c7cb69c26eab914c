import { ConfigurationError } from "@bruin-ts/secrets-core";
import { BACKEND_ID, SERVICE_ACCOUNT_TOKEN_PATH, VAULT_ENV_VARIABLES } from "./descriptor.js";
import { parseGoDuration } from "./duration.js";

// The constants and variables live with the descriptor, which loads nothing else.
export { BACKEND_ID } from "./descriptor.js";

export interface VaultConfig {
  /** The server URL, no trailing slash. */
  host: string;
  /** The KV v2 mount, without surrounding slashes. */
  mountPath: string;
  /** The folder under the mount the connections live in, without surrounding slashes. */
  path: string;
  /** A static token; when absent, `role` logs in with Kubernetes auth. */
  token?: string | undefined;
  /** The Kubernetes auth role; undefined when a token is set. */
  role?: string | undefined;
  k8sAuthMount: string;
  serviceAccountTokenPath: string;
  /** One read, its retries and a login included. */
  timeoutMs: number;
  maxRetries: number;
  retryWaitMinMs: number;
  retryWaitMaxMs: number;
}

type Env = Record<string, string | undefined>;

const PREFIX = "failed to initialize vault client";

/**
 * Reads the configuration, checking the variables in the reference CLI's
 * order (host, token or role, path, mount path) so the first missing one is
 * the one reported. No message holds a value.
 */
export function readVaultConfig(env: Env): VaultConfig {
  const host = parseHost(required(env, "BRUIN_VAULT_HOST"));
  const token = nonEmpty(env.BRUIN_VAULT_TOKEN);
  const role = nonEmpty(env.BRUIN_VAULT_ROLE);
  if (token === undefined && role === undefined) {
    throw configError(
      "BRUIN_VAULT_TOKEN or BRUIN_VAULT_ROLE env variable not set",
      "Set BRUIN_VAULT_TOKEN, or BRUIN_VAULT_ROLE inside Kubernetes",
    );
  }
  const path = trimSlashes(required(env, "BRUIN_VAULT_PATH"));
  const mountPath = trimSlashes(required(env, "BRUIN_VAULT_MOUNT_PATH"));
  const timeoutMs = duration(env, "BRUIN_VAULT_TIMEOUT", "30s");
  if (timeoutMs <= 0)
    throw configError(
      "BRUIN_VAULT_TIMEOUT must be a positive duration such as 30s",
      "Unset it to use the default of 30s",
    );
  const maxRetries = retries(env);
  const retryWaitMinMs = duration(env, "BRUIN_VAULT_RETRY_WAIT_MIN", "200ms");
  const retryWaitMaxMs = duration(env, "BRUIN_VAULT_RETRY_WAIT_MAX", "2s");
  if (retryWaitMinMs > retryWaitMaxMs) {
    throw configError(
      "BRUIN_VAULT_RETRY_WAIT_MIN must not be longer than BRUIN_VAULT_RETRY_WAIT_MAX",
      "Unset both to use 200ms and 2s",
    );
  }
  return {
    host,
    mountPath,
    path,
    token,
    role: token === undefined ? role : undefined,
    k8sAuthMount: trimSlashes(nonEmpty(env.BRUIN_VAULT_K8S_AUTH_MOUNT) ?? "kubernetes"),
    serviceAccountTokenPath: nonEmpty(env.BRUIN_VAULT_K8S_TOKEN_PATH) ?? SERVICE_ACCOUNT_TOKEN_PATH,
    timeoutMs,
    maxRetries,
    retryWaitMinMs,
    retryWaitMaxMs,
  };
}

/** The host as shown in messages: scheme, host, port and path, never user info or a query. */
export function displayHost(host: string): string {
  const url = new URL(host);
  return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "")}`;
}

function duration(env: Env, name: string, fallback: string): number {
  const raw = nonEmpty(env[name]) ?? fallback;
  const ms = parseGoDuration(raw);
  if (ms === undefined || ms < 0) {
    throw configError(
      `${name} must be a duration such as ${fallback} (units ns, us, ms, s, m, h)`,
      `Unset it to use the default of ${fallback}`,
    );
  }
  return ms;
}

function retries(env: Env): number {
  const raw = nonEmpty(env.BRUIN_VAULT_MAX_RETRIES);
  if (raw === undefined) return 3;
  if (!/^\d+$/.test(raw) || Number(raw) > 100) {
    throw configError(
      "BRUIN_VAULT_MAX_RETRIES must be a whole number from 0 to 100",
      "Unset it to use the default of 3",
    );
  }
  return Number(raw);
}

function parseHost(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.hostname === "" ||
    url.search !== "" ||
    url.hash !== ""
  ) {
    // The value is not shown: a token pasted into the wrong variable must not be printed.
    throw configError(
      "BRUIN_VAULT_HOST must be an http(s) URL such as https://vault.example.com:8200",
      "Fix BRUIN_VAULT_HOST",
    );
  }
  return raw.replace(/\/+$/, "");
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

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}
