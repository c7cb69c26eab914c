export { AzureKeyVaultBackend, createAzureBackend, keyVaultName } from "./backend.js";
export type { AzureBackendOptions } from "./backend.js";
export { AZURE_AUTH_METHODS, AZURE_ENV_VARIABLES, BACKEND_ID, KEY_VAULT_DOMAINS, readAzureConfig } from "./config.js";
export type { AzureAuthMethod, AzureConfig } from "./config.js";
export { azureBackendDescriptor } from "./descriptor.js";
