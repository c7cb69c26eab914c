export { FileBackend, createFileBackend } from "./backend.js";
export { CONFIG_FILE_NAME, findConfigFile, parseConfig, readConfigFile } from "./config-file.js";
export type { BruinConfig, RawConnection } from "./config-file.js";
export { PATH_FIELDS, expandVariables, resolvePaths } from "./expand.js";
export { fileBackendDescriptor } from "./descriptor.js";
