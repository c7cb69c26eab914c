export { BACKEND_ID, createEnvBackend } from "./backend.js";
export {
  CONNECTION_VARIABLE_PREFIX,
  ENV_BACKEND_VARIABLES,
  connectionNamesIn,
  connectionVariableName,
} from "./variables.js";
export type { EnvBackendVariable } from "./variables.js";
export { envBackendDescriptor } from "./descriptor.js";
