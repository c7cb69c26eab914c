import type { BackendDescriptor, BackendVariable } from "@bruin-ts/secrets-core";

export const BACKEND_ID = "vault";
/** Where a pod's service-account token is mounted; the reference CLI reads it from here. */
export const SERVICE_ACCOUNT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** The variables the backend reads, in the order they are checked. */
export const VAULT_ENV_VARIABLES: readonly BackendVariable[] = [
  {
    name: "BRUIN_VAULT_HOST",
    required: true,
    description: "URL of the Vault server, e.g. https://vault.example.com:8200",
  },
  { name: "BRUIN_VAULT_TOKEN", required: false, description: "a Vault token (this or BRUIN_VAULT_ROLE is required)" },
  {
    name: "BRUIN_VAULT_ROLE",
    required: false,
    description: "a Kubernetes auth role: logs in with the pod's service-account token instead of BRUIN_VAULT_TOKEN",
  },
  {
    name: "BRUIN_VAULT_PATH",
    required: true,
    description: "the path under the mount holding one secret per connection",
  },
  {
    name: "BRUIN_VAULT_MOUNT_PATH",
    required: true,
    description: "the mount path of the KV v2 secrets engine, e.g. secret",
  },
  {
    name: "BRUIN_VAULT_K8S_AUTH_MOUNT",
    required: false,
    default: "kubernetes",
    description: "the mount of the Kubernetes auth method",
  },
  {
    name: "BRUIN_VAULT_K8S_TOKEN_PATH",
    required: false,
    default: SERVICE_ACCOUNT_TOKEN_PATH,
    description: "the service-account token file used with BRUIN_VAULT_ROLE",
  },
  {
    name: "BRUIN_VAULT_TIMEOUT",
    required: false,
    default: "30s",
    description: "time one read may take, retries included (a Go duration)",
  },
  {
    name: "BRUIN_VAULT_MAX_RETRIES",
    required: false,
    default: "3",
    description: "retries of a request after a 429, a 5xx or a failed connection",
  },
  {
    name: "BRUIN_VAULT_RETRY_WAIT_MIN",
    required: false,
    default: "200ms",
    description: "first wait between retries (a Go duration)",
  },
  {
    name: "BRUIN_VAULT_RETRY_WAIT_MAX",
    required: false,
    default: "2s",
    description: "longest wait between retries (a Go duration)",
  },
];

/** The Vault backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const vaultBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description: "connections from HashiCorp Vault KV v2 secrets, with a token or Kubernetes auth",
  variables: VAULT_ENV_VARIABLES,
  environment: {
    unsupported: "Point BRUIN_VAULT_PATH (or BRUIN_VAULT_MOUNT_PATH) at the environment's secrets instead",
  },
};
