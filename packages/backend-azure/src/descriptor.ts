import type { BackendDescriptor, BackendVariable } from "@bruin-ts/secrets-core";

export const BACKEND_ID = "azure";

/** The ways the backend can authenticate (BRUIN_AZURE_AUTH_METHOD), as the reference CLI names them. */
export const AZURE_AUTH_METHODS = ["client_credentials", "managed_identity", "cli", "default"] as const;
export type AzureAuthMethod = (typeof AZURE_AUTH_METHODS)[number];

/** The Key Vault domains of Azure's public, China and US Government clouds; another host needs an authority override. */
export const KEY_VAULT_DOMAINS = [".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net"] as const;

/** The variables the backend reads, in the order they are checked. */
export const AZURE_ENV_VARIABLES: readonly BackendVariable[] = [
  {
    name: "BRUIN_AZURE_KEYVAULT_URL",
    required: true,
    description: "the vault's URL, e.g. https://my-vault.vault.azure.net",
  },
  {
    name: "BRUIN_AZURE_AUTH_METHOD",
    required: false,
    default: "default",
    description: "client_credentials, managed_identity, cli (az login) or default (the Azure SDK's credential chain)",
  },
  {
    name: "BRUIN_AZURE_TENANT_ID",
    required: false,
    description: "the directory (tenant) id; required for client_credentials",
  },
  {
    name: "BRUIN_AZURE_CLIENT_ID",
    required: false,
    description:
      "the app registration's client id for client_credentials; a user-assigned identity for managed_identity",
  },
  {
    name: "BRUIN_AZURE_CLIENT_SECRET",
    required: false,
    description: "the app registration's client secret; required for client_credentials",
  },
  {
    name: "BRUIN_AZURE_AUTHORITY_HOST",
    required: false,
    description:
      "another Azure AD authority (sovereign clouds, tests); AZURE_AUTHORITY_HOST is read too. Lifts the Key Vault domain check",
  },
];

/** The Azure Key Vault backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const azureBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description: "connections from Azure Key Vault secrets (one secret per connection; '_' in a name read as '-')",
  variables: AZURE_ENV_VARIABLES,
  environment: { unsupported: "Point BRUIN_AZURE_KEYVAULT_URL at the environment's vault instead" },
};
