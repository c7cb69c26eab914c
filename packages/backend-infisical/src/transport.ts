/**
 * HTTP with the retry rules Infisical needs, inside one overall deadline:
 * 429 waits the seconds the server names (a 429 without a usable
 * `Retry-After`, absent or 0, backs off like a 5xx); 5xx / dropped
 * connections / timeouts back off exponentially; every other status is
 * returned at once. Every wait is at least `retryBaseMs` (250 ms by default)
 * with jitter added on top, never below it. TLS failures (unknown CA, expired
 * certificate, wrong host name) and answers larger than `maxResponseBytes`
 * are final: retrying cannot help. A request never outlives the deadline, so
 * a persistent outage fails in `deadlineMs`, not after minutes of retries.
 */
import { MAX_RESPONSE_BYTES } from "@bruin-ts/secrets-core";

export interface SendInit extends RequestInit {
  /** Called once the request has been handed to the operating system (where the transport can tell). */
  onSent?: () => void;
}

export type FetchLike = (input: string | URL | Request, init?: SendInit) => Promise<Response>;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  fetch: FetchLike;
  now: () => number;
  sleep: Sleep;
  /** Per attempt. */
  requestTimeoutMs: number;
  /** First backoff and the floor of every wait; doubles per attempt up to `maxBackoffMs`. Jitter comes on top. */
  retryBaseMs: number;
  maxBackoffMs: number;
  /** Attempts per request, a bound even when the clock does not move. */
  maxAttempts: number;
  /** The most read of one answer's body; default MAX_RESPONSE_BYTES (16 MiB). */
  maxResponseBytes?: number;
}

/** Why a request was given up; carries no URL and no body. */
export type TransportFailure =
  | { kind: "unreachable"; attempts: number }
  | { kind: "timeout"; attempts: number }
  | { kind: "rate_limited"; attempts: number; retryAfterSeconds?: number }
  | { kind: "server_error"; attempts: number; status: number }
  /** The TLS handshake failed; `code` is Node's error code, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. Never retried. */
  | { kind: "tls"; attempts: number; code: string }
  /** The answer's body was larger than `limitBytes`; reading stopped there. Never retried. */
  | { kind: "too_large"; attempts: number; limitBytes: number };

/** Thrown when an answer is larger than may be read; node-http.ts throws an error with the same `code`. */
export class ResponseTooLargeError extends Error {
  readonly code = "ERR_RESPONSE_TOO_LARGE";
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${limitBytes} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

export class TransportError extends Error {
  readonly failure: TransportFailure;
  constructor(failure: TransportFailure) {
    super(`request abandoned: ${failure.kind} after ${failure.attempts} attempt(s)`);
    this.name = "TransportError";
    this.failure = failure;
  }
}

/**
 * Sends a request (built afresh per attempt by `send`) until it gets an
 * answer that is final: a 2xx, or a 4xx other than 429. Throws a
 * TransportError when the deadline or the attempt bound is reached first,
 * and the caller's abort reason when `signal` aborts.
 */
export async function sendWithRetry(
  send: (signal: AbortSignal) => Promise<Response>,
  policy: RetryPolicy,
  deadline: number,
  signal?: AbortSignal,
): Promise<Response> {
  let attempts = 0;
  let failure: TransportFailure | undefined;
  const limit = policy.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  for (;;) {
    signal?.throwIfAborted();
    const remaining = deadline - policy.now();
    if (remaining <= 0) throw new TransportError(failure ?? { kind: "timeout", attempts });
    attempts += 1;
    let waitMs = backoff(policy, attempts);
    const timeout = new AbortController();
    const attemptSignal = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    // Ref'd on purpose: an awaited request must keep the process alive; it is always cleared.
    const timer = setTimeout(() => timeout.abort(), Math.min(policy.requestTimeoutMs, remaining));
    try {
      // The body is read here, within the attempt's time, and never past `limit`.
      const response = await readCapped(await send(attemptSignal), limit, attemptSignal);
      if (response.status === 429) {
        const retryAfterSeconds = await retryAfter(response);
        failure = { kind: "rate_limited", attempts, retryAfterSeconds };
        // Absent or 0 is not usable: back off exponentially instead of hammering the server.
        if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
          waitMs = Math.max(policy.retryBaseMs, retryAfterSeconds * 1000) + jitter(policy.retryBaseMs);
        }
      } else if (response.status >= 500) {
        failure = { kind: "server_error", attempts, status: response.status };
      } else {
        return response;
      }
    } catch (error) {
      signal?.throwIfAborted();
      if (hasCode(error, "ERR_RESPONSE_TOO_LARGE")) {
        throw new TransportError({ kind: "too_large", attempts, limitBytes: limit });
      }
      const tls = tlsErrorCode(error);
      if (tls) throw new TransportError({ kind: "tls", attempts, code: tls });
      failure = { kind: timeout.signal.aborted ? "timeout" : "unreachable", attempts };
      // A network error's message names the URL; only its kind is kept.
    } finally {
      clearTimeout(timer);
    }
    if (attempts >= policy.maxAttempts || policy.now() + waitMs >= deadline) throw new TransportError(failure!);
    await policy.sleep(waitMs, signal);
  }
}

const BODY_CAP = Symbol.for("@bruin-ts/backend-infisical.body-cap");

/** Node's error codes for a certificate that is not trusted, not valid now, or not for this host. */
const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "INVALID_CA",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

/** The TLS error code of a failed request (Node's own, or a fetch error's cause), if it is one. */
export function tlsErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (TLS_CODES.has(code) || /^ERR_(SSL|TLS)_/.test(code))) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether `error` or one of its causes carries `code`. */
function hasCode(error: unknown, code: string): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    if ((current as { code?: unknown }).code === code) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Reads a response's body as a stream, up to `limit` bytes, into a new
 * Response. Past the limit the stream is cancelled and ResponseTooLargeError
 * thrown: a huge or endless answer never sits in memory whole.
 */
export async function readCapped(response: Response, limit: number, signal?: AbortSignal): Promise<Response> {
  // node-http.ts read it from the socket under a cap already: no second copy.
  const cappedAt = (response as Response & { [BODY_CAP]?: number })[BODY_CAP];
  if (cappedAt !== undefined && cappedAt <= limit) return response;
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    void response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(limit);
  }
  if (!response.body) return response;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        void reader.cancel().catch(() => undefined);
        throw new ResponseTooLargeError(limit);
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  signal?.throwIfAborted();
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** `Rate limit exceeded. Please try again in 12 seconds` → 12; else the Retry-After header. */
export function retryAfterFromMessage(message: unknown): number | undefined {
  if (typeof message !== "string") return undefined;
  const match = /try again in (\d+(?:\.\d+)?)\s*(second|minute)/i.exec(message);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2]!.toLowerCase() === "minute" ? amount * 60 : amount;
}

async function retryAfter(response: Response): Promise<number | undefined> {
  let fromBody: number | undefined;
  try {
    const body = (await response.json()) as { message?: unknown };
    fromBody = retryAfterFromMessage(body?.message);
  } catch {
    fromBody = undefined;
  }
  if (fromBody !== undefined && fromBody > 0) return fromBody;
  return retryAfterFromHeader(response.headers.get("retry-after")) ?? fromBody;
}

/** `Retry-After` as seconds (a number, or an HTTP date); undefined when absent or unreadable. */
export function retryAfterFromHeader(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Number(header);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** `retryBaseMs` × 2^(attempt-1), capped at `maxBackoffMs` and never under `retryBaseMs`, plus jitter on top. */
function backoff(policy: RetryPolicy, attempt: number): number {
  const wait = Math.max(policy.retryBaseMs, Math.min(policy.maxBackoffMs, policy.retryBaseMs * 2 ** (attempt - 1)));
  return wait + jitter(wait);
}

/** Up to a quarter of `ms` (at most 1 s), so concurrent clients spread out; always added, never subtracted. */
function jitter(ms: number): number {
  return Math.random() * Math.min(ms / 4, 1_000);
}

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
