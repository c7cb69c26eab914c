export { InfisicalBackend, createInfisicalBackend } from "./backend.js";
export type { InfisicalBackendOptions } from "./backend.js";
export { BATCH_THRESHOLD } from "./read-batch.js";
export { INFISICAL_ENV_VARIABLES, infisicalBackendDescriptor } from "./descriptor.js";
export type { InfisicalEnvVariable } from "./descriptor.js";
export type { InfisicalSdkModule } from "./sdk.js";
export type { Sleep } from "./transport.js";
