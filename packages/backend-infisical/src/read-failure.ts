/**
 * What a failed SDK call means for the caller: retry with a new token, or a
 * failure to report. A failure is kept as a function of the connection name,
 * because one folder listing answers for several connections and each of
 * them is told about it in its own words ("connection 'X'; project ...").
 */
import { UnavailableError, type SecretsError } from "@bruin-ts/secrets-core";
import { BACKEND_ID, displayHost, type InfisicalConfig } from "./config.js";
import { READ_PREFIX, readError, where, type HttpFailure } from "./errors.js";
import { parseSdkError, type CallOutcome } from "./sdk-fetch.js";

/** A failed request, described for whichever connection it was made for (none for a listing). */
export interface ReadFailure {
  /** The HTTP status the server gave up with, if it answered. */
  status?: number;
  /** The answer was larger than the transport may read. */
  tooLarge?: boolean;
  error: (connection: string | undefined) => SecretsError;
}

export type Attempt<T> = { value: T } | { failure: ReadFailure };

/** Which way a read failed, as far as retrying with a new token is concerned. */
export type ReadResult<T> = Attempt<T> | { rejectedToken: true };

/** Classifies the error an SDK call threw, using what the transport saw. Rethrows the caller's abort. */
export function classifyFailure(config: InfisicalConfig, error: unknown, outcome: CallOutcome): ReadResult<never> {
  if (outcome.aborted !== undefined) throw outcome.aborted;
  const transport = outcome.transport;
  if (transport) {
    return {
      failure: { tooLarge: transport.failure.kind === "too_large", error: (connection) => readError(config, transport.failure, connection) },
    };
  }
  const http = outcome.http ?? fromSdkError(error);
  if (!http) {
    // Neither transport nor HTTP: an answer the SDK could not handle. Its message may hold the URL, so only its name is kept.
    const detail = error instanceof Error ? error.name : typeof error;
    const message = `${READ_PREFIX}: unexpected answer from ${displayHost(config.host)} (${where(config)})`;
    return { failure: { error: (connection) => new UnavailableError(message, { backend: BACKEND_ID, connection, detail }) } };
  }
  if (http.status === 401 || (http.status === 403 && isTokenError(http))) return { rejectedToken: true };
  return { failure: { status: http.status, error: (connection) => readError(config, http, connection) } };
}

/** A 403 about the token itself (expired, revoked), as opposed to a missing permission. */
function isTokenError(http: HttpFailure): boolean {
  return http.error === "TokenError" || /token (has )?expired|re-authenticate/i.test(http.message ?? "");
}

function fromSdkError(error: unknown): HttpFailure | undefined {
  const parsed = parseSdkError(error);
  return parsed.status === undefined ? undefined : { status: parsed.status, message: parsed.message };
}
