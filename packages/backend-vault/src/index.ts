export { VaultBackend, createVaultBackend } from "./backend.js";
export type { VaultBackendOptions } from "./backend.js";
export { VAULT_ENV_VARIABLES, vaultBackendDescriptor } from "./descriptor.js";
