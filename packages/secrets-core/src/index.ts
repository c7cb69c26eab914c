export type {
  BackendContext,
  BackendDescriptor,
  BackendEnvironment,
  BackendFactory,
  BackendVariable,
  ConnectionSecret,
  SecretsBackend,
} from "./types.js";
export {
  AuthenticationError,
  ConfigurationError,
  EXIT_CODES,
  EXIT_INTERRUPTED,
  EXIT_SECRETS_BACKEND,
  InterruptedError,
  InvalidSecretError,
  MAX_RESPONSE_BYTES,
  MAX_SECRET_BYTES,
  NotFoundError,
  PermissionError,
  SecretsError,
  UnavailableError,
  UnparsableSecretError,
  checkSecretSize,
  connectionNameProblem,
  displayName,
  formatBytes,
  isSecretsError,
} from "./errors.js";
export type { ExitCode, SecretsErrorContext } from "./errors.js";
export { CONNECTION_ENVELOPE, parseConnectionEnvelope, registerSensitiveDetails } from "./envelope.js";
export type { EnvelopeSource } from "./envelope.js";
export { HttpRetryError, abortableSleep, fetchWithRetry, httpFailureError, retryAfterMs } from "./http-retry.js";
export { tlsErrorCode } from "./tls.js";
export type { HttpAnswer, HttpFailureWording, HttpRetryFailure, HttpRetryOptions } from "./http-retry.js";
export { MASK, MIN_SECRET_LENGTH, Redactor, maskedForms } from "./redactor.js";
export { ConnectionResolver } from "./resolver.js";
export type { ResolveAllResult, ResolverOptions } from "./resolver.js";
