import { ConfigurationError } from "@bruin-ts/secrets-core";
import { AWS_ENV_VARIABLES, BACKEND_ID } from "./descriptor.js";

// The constants and variables live with the descriptor, which loads nothing else.
export { AWS_ENV_VARIABLES, BACKEND_ID } from "./descriptor.js";

export interface AwsStaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsConfig {
  region: string;
  /** The BRUIN_AWS_* keys; absent when the SDK's default credential chain is to be used. */
  credentials?: AwsStaticCredentials;
  /** Another endpoint than the region's, no trailing slash. */
  endpoint?: string;
  /** The variable `endpoint` came from, for messages. */
  endpointVariable?: string;
}

type Env = Record<string, string | undefined>;

const PREFIX = "failed to initialize AWS Secrets Manager client";

/** `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `il-central-1`, … */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Reads the configuration in the reference CLI's order (access key ID,
 * secret access key, region). The keys are a pair: one without the other is
 * an error naming the missing one; neither means the SDK's default credential
 * chain (environment, shared files, SSO, container and instance roles).
 * No message holds a value.
 */
export function readAwsConfig(env: Env): AwsConfig {
  const accessKeyId = nonEmpty(env.BRUIN_AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.BRUIN_AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(env.BRUIN_AWS_SESSION_TOKEN);
  if (accessKeyId === undefined && (secretAccessKey !== undefined || sessionToken !== undefined)) {
    throw missing("BRUIN_AWS_ACCESS_KEY_ID", "BRUIN_AWS_SECRET_ACCESS_KEY and BRUIN_AWS_SESSION_TOKEN need it");
  }
  if (accessKeyId !== undefined && secretAccessKey === undefined) {
    throw missing("BRUIN_AWS_SECRET_ACCESS_KEY", "BRUIN_AWS_ACCESS_KEY_ID needs its secret access key");
  }
  const regionVariable = nonEmpty(env.BRUIN_AWS_REGION) !== undefined ? "BRUIN_AWS_REGION" : "AWS_REGION";
  const region = nonEmpty(env[regionVariable]);
  if (region === undefined) throw missing("BRUIN_AWS_REGION", "the region the secrets are stored in, e.g. eu-west-1");
  if (!REGION.test(region)) {
    throw new ConfigurationError(`${PREFIX}: ${regionVariable} must be an AWS region such as eu-west-1`, {
      backend: BACKEND_ID,
      hint: `Fix ${regionVariable}`,
    });
  }
  const config: AwsConfig = { region };
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    config.credentials = { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) };
  }
  const endpoint = endpointOf(env);
  if (endpoint) {
    config.endpoint = parseEndpoint(endpoint.name, endpoint.value);
    config.endpointVariable = endpoint.name;
  }
  return config;
}

/** The endpoint as shown in messages: scheme, host, port and path, never user info or a query. */
export function displayEndpoint(config: AwsConfig): string {
  if (config.endpoint === undefined) return `https://${defaultHost(config.region)}`;
  const url = new URL(config.endpoint);
  return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "")}`;
}

/** The host the SDK talks to for a region when no endpoint is given. */
export function defaultHost(region: string): string {
  return `secretsmanager.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/**
 * BRUIN_AWS_ENDPOINT_URL, else the SDK's own service-specific and global
 * variables (AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL), which
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns off as it does in the SDK.
 */
function endpointOf(env: Env): { name: string; value: string } | undefined {
  const own = nonEmpty(env.BRUIN_AWS_ENDPOINT_URL);
  if (own !== undefined) return { name: "BRUIN_AWS_ENDPOINT_URL", value: own };
  if (nonEmpty(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)?.toLowerCase() === "true") return undefined;
  for (const name of ["AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"]) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function parseEndpoint(name: string, raw: string): string {
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
    url.username !== "" ||
    url.password !== "" ||
    url.search !== "" ||
    url.hash !== ""
  ) {
    // The value is not shown: a key pasted into the wrong variable must not be printed.
    throw new ConfigurationError(`${PREFIX}: ${name} must be an http(s) URL such as https://vpce.example:443`, {
      backend: BACKEND_ID,
      hint: `Fix or unset ${name}`,
    });
  }
  return raw.replace(/\/+$/, "");
}

function missing(name: string, why: string): ConfigurationError {
  const names = AWS_ENV_VARIABLES.slice(0, 3).map((variable) => variable.name);
  return new ConfigurationError(`${PREFIX}: ${name} env variable not set`, {
    backend: BACKEND_ID,
    hint: `Set ${name} (${why}); the AWS backend reads ${names.join(", ")}`,
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
