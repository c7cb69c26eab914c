import type { BackendDescriptor } from "@bruin-ts/secrets-core";
import { ENV_BACKEND_VARIABLES } from "./variables.js";

/** The env backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const envBackendDescriptor: BackendDescriptor = {
  id: "env",
  description: 'connections from BRUIN_CONNECTION_<NAME> variables holding {"type", "details"} JSON',
  variables: ENV_BACKEND_VARIABLES,
  environment: { unsupported: "Set the BRUIN_CONNECTION_<NAME> variables of the environment you want instead" },
};
