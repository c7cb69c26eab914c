export { VaultBackend, createVaultBackend } from "./backend.js";
export type { VaultBackendOptions } from "./backend.js";
export { BACKEND_ID, SERVICE_ACCOUNT_TOKEN_PATH, VAULT_ENV_VARIABLES, readVaultConfig } from "./config.js";
export type { VaultConfig } from "./config.js";
export { parseGoDuration } from "./duration.js";
export { vaultBackendDescriptor } from "./descriptor.js";
