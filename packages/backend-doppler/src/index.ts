export { DopplerBackend, createDopplerBackend, dopplerNames } from "./backend.js";
export type { DopplerBackendOptions } from "./backend.js";
export { BACKEND_ID, DEFAULT_API_URL, DOPPLER_ENV_VARIABLES, readDopplerConfig } from "./config.js";
export type { DopplerConfig } from "./config.js";
export { dopplerBackendDescriptor } from "./descriptor.js";
