export { InfisicalBackend, createInfisicalBackend } from "./backend.js";
export type { InfisicalBackendOptions } from "./backend.js";
export { BATCH_THRESHOLD } from "./read-batch.js";
export {
  BACKEND_ID,
  DEFAULT_HOST,
  DEFAULT_SECRET_PATH,
  INFISICAL_ENV_VARIABLES,
  normalizeSecretPath,
  readInfisicalConfig,
} from "./config.js";
export type { InfisicalConfig, InfisicalEnvVariable } from "./config.js";
export { parseConnectionSecret } from "./secret-format.js";
export type { InfisicalSdkModule } from "./sdk.js";
export type { Sleep } from "./transport.js";
export { infisicalBackendDescriptor } from "./descriptor.js";
