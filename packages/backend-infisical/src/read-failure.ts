/**
 * What a failed SDK call means for the caller: retry with a new token, or a
 * failure to report. A failure is kept as a function of the connection name,
 * because one folder listing answers for several connections and each of
 * them is told about it in its own words ("connection 'X'; project ...").
 */
import { UnavailableError, type SecretsError } from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayHost, type InfisicalConfig } from "./config.js";
import { READ_PREFIX, readError, where, type HttpFailure } from "./errors.js";
import { HttpAnswerError, TransportError } from "./transport.js";

/** A failed request, described for whichever connection it was made for (none for a listing). */
export interface ReadFailure {
  /** The HTTP status the server gave up with, if it answered. */
  status?: number;
  error: (connection: string | undefined) => SecretsError;
}

export type Attempt<T> = { value: T } | { failure: ReadFailure };

/** Which way a read failed, as far as retrying with a new token is concerned. */
export type ReadResult<T> = Attempt<T> | { rejectedToken: true };

/** Classifies what callWithRetry threw. Rethrows anything else (the caller's abort reason). */
export function classifyFailure(config: InfisicalConfig, error: unknown): ReadResult<never> {
  if (error instanceof TransportError) {
    const failure = error.failure;
    return { failure: { error: (connection) => readError(config, failure, connection) } };
  }
  if (!(error instanceof HttpAnswerError)) {
    if (error instanceof Error && /^InfisicalSDK/.test(error.name)) {
      // An answer the SDK could not handle. Its message may hold the URL, so only its name is kept.
      const message = `${READ_PREFIX}: unexpected answer from ${displayHost(config.host)} (${where(config)})`;
      return {
        failure: {
          error: (connection) => new UnavailableError(message, { backend: BACKEND_ID, connection, detail: error.name }),
        },
      };
    }
    throw error;
  }
  const http: HttpFailure = { status: error.status, message: error.serverMessage };
  if (http.status === 401 || (http.status === 403 && isTokenError(http))) return { rejectedToken: true };
  return { failure: { status: http.status, error: (connection) => readError(config, http, connection) } };
}

/** A 403 about the token itself (expired, revoked, malformed), as opposed to a missing permission. */
function isTokenError(http: HttpFailure): boolean {
  return /token (has )?expired|re-authenticate|access token is malformed/i.test(http.message ?? "");
}
