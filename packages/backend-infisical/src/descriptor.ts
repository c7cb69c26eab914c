import type { BackendDescriptor } from "@bruin-ts/secrets-core";

export const BACKEND_ID = "infisical";
export const DEFAULT_HOST = "https://app.infisical.com";
export const DEFAULT_SECRET_PATH = "/";
/** Seconds one read (or login) may take, retries included. */
export const DEFAULT_TIMEOUT_SECONDS = 30;

export interface InfisicalEnvVariable {
  name: string;
  required: boolean;
  default?: string;
  description: string;
}

/** The variables the backend reads, in the order they are checked (for `--help`). */
export const INFISICAL_ENV_VARIABLES: readonly InfisicalEnvVariable[] = [
  {
    name: "BRUIN_INFISICAL_CLIENT_ID",
    required: true,
    description: "Client ID of the Infisical machine identity (Universal Auth)",
  },
  {
    name: "BRUIN_INFISICAL_CLIENT_SECRET",
    required: true,
    description: "Client secret of the Infisical machine identity",
  },
  {
    name: "BRUIN_INFISICAL_PROJECT_ID",
    required: true,
    description: "ID of the Infisical project holding the connections",
  },
  {
    name: "BRUIN_INFISICAL_ENVIRONMENT",
    required: true,
    description: "Environment slug to read from, e.g. dev, staging, prod",
  },
  {
    name: "BRUIN_INFISICAL_HOST",
    required: false,
    default: DEFAULT_HOST,
    description: "Infisical API URL, for self-hosted instances",
  },
  {
    name: "BRUIN_INFISICAL_SECRET_PATH",
    required: false,
    default: DEFAULT_SECRET_PATH,
    description: "Folder the connection secrets are stored in",
  },
  {
    name: "BRUIN_INFISICAL_TIMEOUT",
    required: false,
    default: String(DEFAULT_TIMEOUT_SECONDS),
    description: "Seconds one secret read may take, retries included, before Infisical counts as unavailable",
  },
  {
    name: "BRUIN_INFISICAL_BATCH",
    required: false,
    default: "auto",
    description:
      "auto: from 5 connections at once, one folder listing reads them all; never: each connection is read on its own (least privilege, audit log)",
  },
];

/**
 * The Infisical backend: its id, what it reads, and its variables (the list
 * `readInfisicalConfig` reads). Loads neither the backend nor the SDK.
 */
export const infisicalBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description: "connections from Infisical secrets, through a machine identity (Universal Auth)",
  variables: INFISICAL_ENV_VARIABLES,
  environment: { variable: "BRUIN_INFISICAL_ENVIRONMENT" },
};
