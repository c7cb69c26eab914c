import { ConfigurationError } from "@bruin-ts/secrets-core";
import {
  BACKEND_ID,
  DEFAULT_HOST,
  DEFAULT_SECRET_PATH,
  DEFAULT_TIMEOUT_SECONDS,
  INFISICAL_ENV_VARIABLES,
} from "./descriptor.js";

// The constants and variables live with the descriptor, which loads nothing else.
export { BACKEND_ID, INFISICAL_ENV_VARIABLES } from "./descriptor.js";

/** Everything the backend needs to know, read from the environment once. */
export interface InfisicalConfig {
  clientId: string;
  clientSecret: string;
  projectId: string;
  environment: string;
  /** The API base URL as given (scheme included, no trailing slash). */
  host: string;
  /** The folder the secrets live in: always starts with `/`, never ends with one (except `/` itself). */
  secretPath: string;
  /** Overall time for one read or login, retries included, in ms. */
  timeoutMs: number;
  /** `auto`: from BATCH_THRESHOLD names asked at once, one folder listing answers them; `never`: every name is read on its own. */
  batch: "auto" | "never";
}

type Env = Record<string, string | undefined>;

/**
 * Reads the configuration from `env`. The required variables are checked in
 * the documented order so that the first missing one is the one reported.
 * Surrounding whitespace (a newline or spaces pasted with a value) is trimmed
 * from every value. No message ever contains a variable's value.
 */
export function readInfisicalConfig(env: Env): InfisicalConfig {
  const clientId = required(env, "BRUIN_INFISICAL_CLIENT_ID");
  const clientSecret = required(env, "BRUIN_INFISICAL_CLIENT_SECRET");
  const projectId = required(env, "BRUIN_INFISICAL_PROJECT_ID");
  const environment = required(env, "BRUIN_INFISICAL_ENVIRONMENT");
  const host = parseHost(nonEmpty(env.BRUIN_INFISICAL_HOST) ?? DEFAULT_HOST);
  const secretPath = normalizeSecretPath(nonEmpty(env.BRUIN_INFISICAL_SECRET_PATH) ?? DEFAULT_SECRET_PATH);
  const timeoutMs = parseTimeout(nonEmpty(env.BRUIN_INFISICAL_TIMEOUT));
  const batch = parseBatch(nonEmpty(env.BRUIN_INFISICAL_BATCH));
  return { clientId, clientSecret, projectId, environment, host, secretPath, timeoutMs, batch };
}

/** `prod/db/` → `/prod/db`; `` and `/` → `/`. Repeated slashes collapse. */
export function normalizeSecretPath(path: string): string {
  const parts = path
    .trim()
    .split("/")
    .filter((part) => part !== "");
  return `/${parts.join("/")}`;
}

/** The host as shown in messages: scheme, host, port and path, never user info or a query. */
export function displayHost(host: string): string {
  try {
    const url = new URL(host);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, "")}`;
  } catch {
    return "the configured host";
  }
}

function required(env: Env, name: string): string {
  const value = nonEmpty(env[name]);
  if (value === undefined) {
    throw new ConfigurationError(`failed to initialize infisical client: ${name} env variable not set`, {
      backend: BACKEND_ID,
      hint: `Set ${name}; the Infisical backend needs ${requiredNames()}`,
    });
  }
  return value;
}

function parseHost(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL: refused below.
  }
  if (
    !url ||
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: the URL parser already refuses an http(s) URL without a host
    url.hostname === ""
  ) {
    // The value itself is not shown: a credential pasted into the wrong variable must not be printed.
    throw new ConfigurationError(
      "failed to initialize infisical client: BRUIN_INFISICAL_HOST must be an http(s) URL such as https://app.infisical.com",
      { backend: BACKEND_ID, hint: "Fix or unset BRUIN_INFISICAL_HOST (the default is Infisical Cloud)" },
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigurationError(
      "failed to initialize infisical client: BRUIN_INFISICAL_HOST must not have a query or fragment",
      { backend: BACKEND_ID, hint: "Use the base URL of the Infisical instance, e.g. https://infisical.example.com" },
    );
  }
  return raw.replace(/\/+$/, "");
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new ConfigurationError(
      "failed to initialize infisical client: BRUIN_INFISICAL_TIMEOUT must be a number of seconds between 0 and 3600",
      { backend: BACKEND_ID, hint: `Unset it to use the default of ${DEFAULT_TIMEOUT_SECONDS} seconds` },
    );
  }
  return Math.round(seconds * 1000);
}

function parseBatch(raw: string | undefined): "auto" | "never" {
  const value = raw?.toLowerCase() ?? "auto";
  if (value === "auto" || value === "never") return value;
  throw new ConfigurationError(
    "failed to initialize infisical client: BRUIN_INFISICAL_BATCH must be 'auto' or 'never'",
    {
      backend: BACKEND_ID,
      hint: "Unset it to use the default, auto; 'never' reads each connection on its own and never lists the folder",
    },
  );
}

function requiredNames(): string {
  return INFISICAL_ENV_VARIABLES.filter((variable) => variable.required)
    .map((variable) => variable.name)
    .join(", ");
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed || undefined;
}

/**
 * One-line warnings about a configuration that works but is risky or was
 * changed: a client secret that had surrounding whitespace (trimmed), a
 * plain-http host that is not this machine. They name variables, never values.
 */
export function infisicalConfigWarnings(env: Env, config: InfisicalConfig): string[] {
  const warnings: string[] = [];
  const rawSecret = env.BRUIN_INFISICAL_CLIENT_SECRET;
  if (rawSecret !== undefined && rawSecret !== config.clientSecret) {
    warnings.push(
      "BRUIN_INFISICAL_CLIENT_SECRET had leading or trailing whitespace (a space or a line break); it was trimmed before logging in",
    );
  }
  const url = new URL(config.host);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    warnings.push(
      `BRUIN_INFISICAL_HOST is plain http:// to ${url.host}: the client secret, the access token and every secret travel unencrypted; use https://`,
    );
  }
  return warnings;
}

/** localhost, 127.0.0.0/8 and ::1: plain http there never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  // Stryker disable next-line Regex: equivalent: a URL's hostname has brackets only around a whole IPv6 address
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  const v4 = host.startsWith("::ffff:") ? host.slice(7) : host;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
