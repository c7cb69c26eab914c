import type { BackendDescriptor } from "@bruin-ts/secrets-core";
import { BACKEND_ID, DOPPLER_ENV_VARIABLES } from "./config.js";

/** The Doppler backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const dopplerBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description: "connections from Doppler secrets (one download of the config per run; names also looked up upper-cased, '-' as '_')",
  variables: DOPPLER_ENV_VARIABLES,
};
