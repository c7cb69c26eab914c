import { ConfigurationError, type BackendVariable } from "@bruin-ts/secrets-core";
import { parseGoDuration } from "./duration.js";

export const BACKEND_ID = "vault";
/** Where a pod's service-account token is mounted; the reference CLI reads it from here. */
export const SERVICE_ACCOUNT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export interface VaultConfig {
  /** The server URL, no trailing slash. */
  host: string;
  /** The KV v2 mount, without surrounding slashes. */
  mountPath: string;
  /** The folder under the mount the connections live in, without surrounding slashes. */
  path: string;
  /** A static token; when absent, `role` logs in with Kubernetes auth. */
  token?: string;
  role?: string;
  k8sAuthMount: string;
  serviceAccountTokenPath: string;
  /** One read, its retries and a login included. */
  timeoutMs: number;
  maxRetries: number;
  retryWaitMinMs: number;
  retryWaitMaxMs: number;
}

/** The variables the backend reads, in the order they are checked. */
export const VAULT_ENV_VARIABLES: readonly BackendVariable[] = [
  { name: "BRUIN_VAULT_HOST", required: true, description: "URL of the Vault server, e.g. https://vault.example.com:8200" },
  { name: "BRUIN_VAULT_TOKEN", required: false, description: "a Vault token (this or BRUIN_VAULT_ROLE is required)" },
  {
    name: "BRUIN_VAULT_ROLE",
    required: false,
    description: "a Kubernetes auth role: logs in with the pod's service-account token instead of BRUIN_VAULT_TOKEN",
  },
  { name: "BRUIN_VAULT_PATH", required: true, description: "the path under the mount holding one secret per connection" },
  { name: "BRUIN_VAULT_MOUNT_PATH", required: true, description: "the mount path of the KV v2 secrets engine, e.g. secret" },
  { name: "BRUIN_VAULT_K8S_AUTH_MOUNT", required: false, default: "kubernetes", description: "the mount of the Kubernetes auth method" },
  {
    name: "BRUIN_VAULT_K8S_TOKEN_PATH",
    required: false,
    default: SERVICE_ACCOUNT_TOKEN_PATH,
    description: "the service-account token file used with BRUIN_VAULT_ROLE",
  },
  { name: "BRUIN_VAULT_TIMEOUT", required: false, default: "30s", description: "time one read may take, retries included (a Go duration)" },
  { name: "BRUIN_VAULT_MAX_RETRIES", required: false, default: "3", description: "retries of a request after a 429, a 5xx or a failed connection" },
  { name: "BRUIN_VAULT_RETRY_WAIT_MIN", required: false, default: "200ms", description: "first wait between retries (a Go duration)" },
  { name: "BRUIN_VAULT_RETRY_WAIT_MAX", required: false, default: "2s", description: "longest wait between retries (a Go duration)" },
];

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
    throw configError("BRUIN_VAULT_TOKEN or BRUIN_VAULT_ROLE env variable not set", "Set BRUIN_VAULT_TOKEN, or BRUIN_VAULT_ROLE inside Kubernetes");
  }
  const path = trimSlashes(required(env, "BRUIN_VAULT_PATH"));
  const mountPath = trimSlashes(required(env, "BRUIN_VAULT_MOUNT_PATH"));
  const timeoutMs = duration(env, "BRUIN_VAULT_TIMEOUT", "30s");
  if (timeoutMs <= 0) throw configError("BRUIN_VAULT_TIMEOUT must be a positive duration such as 30s", "Unset it to use the default of 30s");
  const maxRetries = retries(env);
  const retryWaitMinMs = duration(env, "BRUIN_VAULT_RETRY_WAIT_MIN", "200ms");
  const retryWaitMaxMs = duration(env, "BRUIN_VAULT_RETRY_WAIT_MAX", "2s");
  if (retryWaitMinMs > retryWaitMaxMs) {
    throw configError("BRUIN_VAULT_RETRY_WAIT_MIN must not be longer than BRUIN_VAULT_RETRY_WAIT_MAX", "Unset both to use 200ms and 2s");
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
    throw configError(`${name} must be a duration such as ${fallback} (units ns, us, ms, s, m, h)`, `Unset it to use the default of ${fallback}`);
  }
  return ms;
}

function retries(env: Env): number {
  const raw = nonEmpty(env.BRUIN_VAULT_MAX_RETRIES);
  if (raw === undefined) return 3;
  if (!/^\d+$/.test(raw) || Number(raw) > 100) {
    throw configError("BRUIN_VAULT_MAX_RETRIES must be a whole number from 0 to 100", "Unset it to use the default of 3");
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
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "" || url.search !== "" || url.hash !== "") {
    // The value is not shown: a token pasted into the wrong variable must not be printed.
    throw configError("BRUIN_VAULT_HOST must be an http(s) URL such as https://vault.example.com:8200", "Fix BRUIN_VAULT_HOST");
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
