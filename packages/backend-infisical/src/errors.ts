/**
 * Turns what went wrong talking to Infisical into the typed errors of
 * `@bruin-ts/secrets-core`. Messages start with the phrases of the user
 * documentation ("failed to authenticate with Infisical", "failed to read
 * secret from Infisical") and are complete on their own: what failed, for
 * which connection, where (project, environment, path) and what to check.
 * They are built from names only: never a server body, an SDK message (it
 * holds the request URL), a token, the client secret or a secret value.
 */
import {
  AuthenticationError,
  ConfigurationError,
  NotFoundError,
  PermissionError,
  UnavailableError,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayHost, type InfisicalConfig } from "./config.js";
import type { TransportFailure } from "./transport.js";

export const AUTH_PREFIX = "failed to authenticate with Infisical";
export const READ_PREFIX = "failed to read secret from Infisical";

/** An answer from the server that the caller could not use. */
export interface HttpFailure {
  status: number;
  error?: string | undefined;
  message?: string | undefined;
}

export function where(config: InfisicalConfig): string {
  return `project '${config.projectId}', environment '${config.environment}', path '${config.secretPath}'`;
}

const AUTH_HINT =
  "Check BRUIN_INFISICAL_CLIENT_ID and BRUIN_INFISICAL_CLIENT_SECRET, that the machine identity uses Universal Auth and has access to the project, and BRUIN_INFISICAL_HOST for self-hosted instances";

/** A refused or failed universal-auth login. */
export function loginError(config: InfisicalConfig, failure: HttpFailure | TransportFailure): SecretsError {
  const host = displayHost(config.host);
  if ("kind" in failure) {
    if (failure.kind === "tls") return tlsError(AUTH_PREFIX, host, failure.code);
    if (failure.kind === "unreachable") {
      return new AuthenticationError(`${AUTH_PREFIX}: could not reach ${host}. ${AUTH_HINT}`, { backend: BACKEND_ID });
    }
    return new UnavailableError(
      `${AUTH_PREFIX}: ${outageReason(host, failure)}. Try again later or check the status of ${host}`,
      {
        backend: BACKEND_ID,
      },
    );
  }
  return new AuthenticationError(`${AUTH_PREFIX}: ${loginReason(failure)} (${host}). ${AUTH_HINT}`, {
    backend: BACKEND_ID,
    detail: `HTTP ${failure.status}${failure.error ? ` ${failure.error}` : ""}`,
  });
}

function loginReason(failure: HttpFailure): string {
  const message = failure.message ?? "";
  if (/expired client secret/i.test(message)) return "the client secret has expired";
  if (/usage limit/i.test(message)) return "the client secret has reached its usage limit";
  if (/invalid credentials/i.test(message)) return "invalid client ID or client secret";
  if (failure.status === 404) return "the host does not serve the Infisical API (HTTP 404)";
  if (failure.status === 401 || failure.status === 403) return `the credentials were refused (HTTP ${failure.status})`;
  return `the login request was rejected (HTTP ${failure.status})`;
}

/** The token was refused twice in a row, even after a fresh login. */
export function tokenRejectedError(config: InfisicalConfig, connection: string): SecretsError {
  return new AuthenticationError(
    `${AUTH_PREFIX}: the access token was refused even after logging in again (connection '${connection}'; ${where(config)}). ${AUTH_HINT}`,
    { backend: BACKEND_ID, connection },
  );
}

/** A failed read of one secret (`connection` set) or of the folder listing. */
export function readError(
  config: InfisicalConfig,
  failure: HttpFailure | TransportFailure,
  connection?: string,
): SecretsError {
  const subject = connection === undefined ? "" : ` (connection '${connection}'; ${where(config)})`;
  const place = connection === undefined ? ` (${where(config)})` : subject;
  const context = { backend: BACKEND_ID, connection };
  if ("kind" in failure) {
    const host = displayHost(config.host);
    if (failure.kind === "tls") return tlsError(READ_PREFIX, host, failure.code, connection);
    const reason = failure.kind === "unreachable" ? `could not reach ${host}` : outageReason(host, failure);
    return new UnavailableError(
      `${READ_PREFIX}: ${reason}${place}. Try again later or check BRUIN_INFISICAL_HOST`,
      context,
    );
  }
  const detail = `HTTP ${failure.status}${failure.error ? ` ${failure.error}` : ""}`;
  if (failure.status === 404) {
    return new NotFoundError(
      `${READ_PREFIX}: ${missingWhat(config, failure.message, connection)}${place}. ${NOT_FOUND_HINT}`,
      {
        ...context,
        detail,
      },
    );
  }
  if (failure.status === 403) {
    return new PermissionError(
      `${READ_PREFIX}: permission denied${connection === undefined ? "" : ` for secret '${connection}'`}${place}. ` +
        `Grant the machine identity read access to environment '${config.environment}' at path '${config.secretPath}'`,
      { ...context, detail },
    );
  }
  if (failure.status === 400 || failure.status === 422) {
    return new ConfigurationError(
      `${READ_PREFIX}: the request was rejected as invalid (HTTP ${failure.status})${place}. Check BRUIN_INFISICAL_PROJECT_ID, BRUIN_INFISICAL_ENVIRONMENT and BRUIN_INFISICAL_SECRET_PATH`,
      { ...context, detail },
    );
  }
  return new UnavailableError(`${READ_PREFIX}: unexpected answer (HTTP ${failure.status})${place}`, {
    ...context,
    detail,
  });
}

const NOT_FOUND_HINT =
  "Check that the secret exists with this exact name, in the environment set by BRUIN_INFISICAL_ENVIRONMENT and the path set by BRUIN_INFISICAL_SECRET_PATH, and that the machine identity has read access to it";

/** Says which of secret, folder, environment or project was missing, in our words. */
function missingWhat(config: InfisicalConfig, message: string | undefined, connection: string | undefined): string {
  const text = message ?? "";
  if (/^secret\b/i.test(text) || /secret with name/i.test(text)) {
    return `secret '${connection ?? "?"}' not found`;
  }
  if (/folder/i.test(text)) {
    return `folder '${config.secretPath}' not found in environment '${config.environment}'`;
  }
  if (/environment/i.test(text)) {
    return `environment '${config.environment}' not found in project '${config.projectId}'`;
  }
  if (/project|workspace/i.test(text)) {
    return `project '${config.projectId}' not found`;
  }
  return connection === undefined ? "nothing found" : `secret '${connection}' not found`;
}

function outageReason(host: string, failure: TransportFailure): string {
  const attempts = `${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"}`;
  switch (failure.kind) {
    case "unreachable":
      return `could not reach ${host}`;
    case "timeout":
      return `${host} did not answer in time (${attempts})`;
    case "rate_limited":
      return `${host} kept rate-limiting the requests (HTTP 429, ${attempts})`;
    case "server_error":
      return `${host} is unavailable (HTTP ${failure.status}, ${attempts})`;
    case "tls":
      return `TLS error talking to ${host} (${failure.code})`;
  }
}

/** Certificate codes that mean "not signed by a CA this machine trusts". */
const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "INVALID_CA",
]);

/**
 * A failed TLS handshake: never retried, never blamed on the credentials.
 * Says what is wrong with the certificate of `host` and how to fix it.
 */
export function tlsError(prefix: string, host: string, code: string, connection?: string): SecretsError {
  let reason: string;
  let fix: string;
  if (UNTRUSTED.has(code)) {
    reason = "its certificate is self-signed or issued by a certificate authority this machine does not trust";
    fix =
      "If the host uses a private CA, point NODE_EXTRA_CA_CERTS at that CA's certificate (a PEM file) and run again";
  } else if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    reason =
      code === "CERT_HAS_EXPIRED"
        ? "its certificate has expired"
        : "its certificate is not valid yet (check the clocks)";
    fix =
      "Renew the certificate on the server; NODE_EXTRA_CA_CERTS only adds trusted CAs and cannot make an out-of-date certificate valid";
  } else if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH") {
    reason = "its certificate is not issued for this host name";
    fix =
      "Set BRUIN_INFISICAL_HOST to a name the certificate lists, or reissue the certificate for this name; NODE_EXTRA_CA_CERTS cannot fix a name mismatch";
  } else {
    reason = "the TLS handshake failed";
    fix =
      "Check that BRUIN_INFISICAL_HOST is the HTTPS address of the instance, and point NODE_EXTRA_CA_CERTS at its CA's certificate if it uses a private CA";
  }
  const subject = connection === undefined ? "" : ` (connection '${connection}')`;
  return new ConfigurationError(`${prefix}: TLS error connecting to ${host}: ${reason} (${code})${subject}. ${fix}`, {
    backend: BACKEND_ID,
    connection,
    detail: code,
  });
}
