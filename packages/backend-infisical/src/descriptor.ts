import type { BackendDescriptor } from "@bruin-ts/secrets-core";
import { BACKEND_ID, INFISICAL_ENV_VARIABLES } from "./config.js";

/**
 * The Infisical backend: its id, what it reads, and its variables (the list
 * `readInfisicalConfig` reads). Loads neither the backend nor the SDK.
 */
export const infisicalBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description: "connections from Infisical secrets, through a machine identity (Universal Auth)",
  variables: INFISICAL_ENV_VARIABLES,
};
