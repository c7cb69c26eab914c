export { DopplerBackend, createDopplerBackend } from "./backend.js";
export type { DopplerBackendOptions } from "./backend.js";
export { DOPPLER_ENV_VARIABLES, dopplerBackendDescriptor } from "./descriptor.js";
