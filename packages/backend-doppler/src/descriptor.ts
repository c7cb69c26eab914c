import type { BackendDescriptor, BackendVariable } from "@bruin-ts/secrets-core";

export const BACKEND_ID = "doppler";
export const DEFAULT_API_URL = "https://api.doppler.com";

/** The variables the backend reads, in the order they are checked. */
export const DOPPLER_ENV_VARIABLES: readonly BackendVariable[] = [
  {
    name: "BRUIN_DOPPLER_TOKEN",
    required: true,
    description: "a Doppler service token with read access to the config",
  },
  { name: "BRUIN_DOPPLER_PROJECT", required: true, description: "the Doppler project holding the connections" },
  { name: "BRUIN_DOPPLER_CONFIG", required: true, description: "the config (environment) to read, e.g. dev or prd" },
  {
    name: "BRUIN_DOPPLER_API_URL",
    required: false,
    default: DEFAULT_API_URL,
    description: "the API root, for self-hosted and test setups",
  },
];

/** The Doppler backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const dopplerBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description:
    "connections from Doppler secrets (one download of the config per run; names also looked up upper-cased, '-' as '_')",
  variables: DOPPLER_ENV_VARIABLES,
  // A Doppler config is its environment.
  environment: { variable: "BRUIN_DOPPLER_CONFIG" },
};
