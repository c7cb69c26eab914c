import type { BackendDescriptor, BackendVariable } from "@bruin-ts/secrets-core";

export const BACKEND_ID = "aws";

/** The variables the backend reads, in the order they are checked. */
export const AWS_ENV_VARIABLES: readonly BackendVariable[] = [
  {
    name: "BRUIN_AWS_ACCESS_KEY_ID",
    required: false,
    description:
      "an access key ID (with BRUIN_AWS_SECRET_ACCESS_KEY; without both, the SDK's default credential chain)",
  },
  {
    name: "BRUIN_AWS_SECRET_ACCESS_KEY",
    required: false,
    description: "the secret access key of BRUIN_AWS_ACCESS_KEY_ID",
  },
  {
    name: "BRUIN_AWS_REGION",
    required: true,
    description: "the region the secrets are stored in, e.g. eu-west-1 (AWS_REGION is used when it is unset)",
  },
  {
    name: "BRUIN_AWS_SESSION_TOKEN",
    required: false,
    description: "a session token, for temporary credentials (e.g. from STS AssumeRole)",
  },
  {
    name: "BRUIN_AWS_ENDPOINT_URL",
    required: false,
    description:
      "another Secrets Manager endpoint (VPC endpoint, LocalStack, tests); AWS_ENDPOINT_URL_SECRETS_MANAGER is honoured too",
  },
];

/** The AWS Secrets Manager backend: its id, what it reads, and its variables. Loads none of the backend's code. */
export const awsBackendDescriptor: BackendDescriptor = {
  id: BACKEND_ID,
  description: "connections from AWS Secrets Manager, one secret per connection named after it",
  variables: AWS_ENV_VARIABLES,
  environment: {
    unsupported: "Use the region or account of the environment's secrets (BRUIN_AWS_REGION, the keys) instead",
  },
};
