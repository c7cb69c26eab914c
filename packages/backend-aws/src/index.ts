export { AwsBackend, BATCH_SIZE, BATCH_THRESHOLD, createAwsBackend } from "./backend.js";
export type { AwsBackendOptions } from "./backend.js";
export { AWS_ENV_VARIABLES, BACKEND_ID, readAwsConfig } from "./config.js";
export type { AwsConfig, AwsStaticCredentials } from "./config.js";
export { awsBackendDescriptor } from "./descriptor.js";
