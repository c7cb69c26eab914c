export { startVaultEmulator } from "./vault.js";
export type { VaultEmulator, VaultRoute, VaultSeed } from "./vault.js";
export { startDopplerEmulator } from "./doppler.js";
export type { DopplerEmulator, DopplerRoute, DopplerSeed } from "./doppler.js";
export type { FaultRule, LoggedRequest } from "./http-emulator.js";
export { startAzureEmulator } from "./azure.js";
export type { AzureEmulator, AzureRoute, AzureSeed } from "./azure.js";
export { startAwsSecretsManagerEmulator } from "./aws.js";
export type { AwsCredential, AwsEmulator, AwsRoute, AwsSeed } from "./aws.js";
