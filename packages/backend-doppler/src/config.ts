import { ConfigurationError } from "@bruin-ts/secrets-core";
import { BACKEND_ID, DEFAULT_API_URL, DOPPLER_ENV_VARIABLES } from "./descriptor.js";

// The constants and variables live with the descriptor, which loads nothing else.
export { BACKEND_ID } from "./descriptor.js";

export interface DopplerConfig {
  token: string;
  project: string;
  config: string;
  /** The API root, no trailing slash. */
  apiUrl: string;
}

type Env = Record<string, string | undefined>;

const PREFIX = "failed to initialize doppler client";

/** Reads the configuration in the reference CLI's order (token, project, config). No message holds a value. */
export function readDopplerConfig(env: Env): DopplerConfig {
  const token = required(env, "BRUIN_DOPPLER_TOKEN");
  const project = required(env, "BRUIN_DOPPLER_PROJECT");
  const config = required(env, "BRUIN_DOPPLER_CONFIG");
  const apiUrl = parseApiUrl(nonEmpty(env.BRUIN_DOPPLER_API_URL) ?? DEFAULT_API_URL);
  return { token, project, config, apiUrl };
}

/** The API root as shown in messages: scheme, host, port and path. */
export function displayApiUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "")}`;
}

function parseApiUrl(raw: string): string {
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
    throw new ConfigurationError(`${PREFIX}: BRUIN_DOPPLER_API_URL must be an http(s) URL such as ${DEFAULT_API_URL}`, {
      backend: BACKEND_ID,
      hint: "Fix or unset BRUIN_DOPPLER_API_URL (the default is Doppler's cloud API)",
    });
  }
  return raw.replace(/\/+$/, "");
}

function required(env: Env, name: string): string {
  const value = nonEmpty(env[name]);
  if (value === undefined) {
    throw new ConfigurationError(`${PREFIX}: ${name} env variable not set`, {
      backend: BACKEND_ID,
      hint: `Set ${name}; the Doppler backend needs BRUIN_DOPPLER_TOKEN, BRUIN_DOPPLER_PROJECT and BRUIN_DOPPLER_CONFIG`,
    });
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
