import type { BackendDescriptor } from "@bruin-ts/secrets-core";
import { BACKEND_ID, VAULT_ENV_VARIABLES } from "./config.js";

/** The Vault backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const vaultBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description: "connections from HashiCorp Vault KV v2 secrets, with a token or Kubernetes auth",
  variables: VAULT_ENV_VARIABLES,
};
