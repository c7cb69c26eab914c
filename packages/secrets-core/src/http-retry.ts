/**
 * One HTTP request with the retry rules every HTTP secrets backend needs,
 * inside one overall deadline, on the platform's `fetch`:
 *
 * - 429 waits what `Retry-After` says (seconds or an HTTP date), at least
 *   `waitMinMs`; without a usable header it backs off like a 5xx;
 * - 5xx and failed connections (refused, reset, DNS) back off exponentially
 *   from `waitMinMs`, doubling up to `waitMaxMs`, with jitter on top;
 * - every other answer is returned to the caller as it is;
 * - a TLS failure is never retried.
 *
 * At most `maxRetries` retries, and nothing outlives `timeoutMs`: a wait that
 * would end past the deadline is not started. Failures carry no URL, header
 * or body: a backend builds its own message from `HttpRetryFailure`.
 */
import { ConfigurationError, MAX_RESPONSE_BYTES, UnavailableError, type SecretsError } from "./errors.js";
import { tlsErrorCode } from "./tls.js";

export interface HttpRetryOptions {
  /** The whole budget, every attempt and wait included. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff and the floor of every wait. */
  waitMinMs: number;
  /** The longest backoff (a Retry-After may ask for more, within the deadline). */
  waitMaxMs: number;
  /** Aborts the request and every wait at once; the abort reason is thrown. */
  signal?: AbortSignal;
  /** The most of a body that is read (default MAX_RESPONSE_BYTES); past it, `HttpRetryError` of kind `too_large`. */
  maxBodyBytes?: number;
  /** For tests: the clock, the sleep and the fetch to use. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  fetch?: typeof fetch;
}

/** A final answer: the status, the headers and the body as text. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
  /** Requests made, the last one included. */
  attempts: number;
}

/** Why a request was given up. */
export type HttpRetryFailure =
  | { kind: "unreachable"; attempts: number; code?: string | undefined }
  | { kind: "timeout"; attempts: number }
  | { kind: "rate_limited"; attempts: number }
  | { kind: "server_error"; attempts: number; status: number }
  | { kind: "tls"; attempts: number; code: string }
  | { kind: "too_large"; attempts: number; limit: number };

export class HttpRetryError extends Error {
  readonly failure: HttpRetryFailure;
  constructor(failure: HttpRetryFailure) {
    super(`request given up: ${failure.kind} after ${failure.attempts} attempt(s)`);
    this.name = "HttpRetryError";
    this.failure = failure;
  }
}

/** The backend-specific words of {@link httpFailureError}'s messages. */
export interface HttpFailureWording {
  /** What failed, e.g. `failed to read secret 'x' from Vault`. */
  subject: string;
  /** The server as shown to the user (no credentials, no path). */
  host: string;
  backend: string;
  connection?: string | undefined;
  /** What the service's answer is called: `answer` (default) or `download`. */
  answer?: string;
  /** A hint for a TLS failure; default: point NODE_EXTRA_CA_CERTS at the CA. */
  tlsHint?: string;
  /** A hint for a rate limit that outlasted the retries; default: try again later. */
  rateLimitHint?: string;
  /** How the deadline is named in a timeout, e.g. `within BRUIN_VAULT_TIMEOUT`; default `in time`. */
  deadline?: string;
  /** A hint for a server that cannot be reached, e.g. `Check BRUIN_VAULT_HOST`. */
  unreachableHint?: string;
}

/**
 * The SecretsError for a request {@link fetchWithRetry} gave up: a TLS error
 * is a configuration error (exit 2 by the backend's context, with the fix),
 * everything else the service being unavailable. Names the host, never a URL
 * with its path, nor a value.
 */
export function httpFailureError(failure: HttpRetryFailure, wording: HttpFailureWording): SecretsError {
  const { subject, host } = wording;
  const context = { backend: wording.backend, connection: wording.connection };
  const attempts = `${failure.attempts} attempt${failure.attempts === 1 ? "" : "s"}`;
  switch (failure.kind) {
    case "tls":
      return new ConfigurationError(`${subject}: TLS error connecting to ${host} (${failure.code})`, {
        ...context,
        hint:
          wording.tlsHint ??
          "If the server uses a private CA, point NODE_EXTRA_CA_CERTS at its certificate (a PEM file)",
      });
    case "too_large":
      return new UnavailableError(
        `${subject}: the ${wording.answer ?? "answer"} from ${host} is larger than ${failure.limit} bytes`,
        context,
      );
    case "rate_limited":
      return new UnavailableError(`${subject}: ${host} kept rate-limiting the requests (HTTP 429, ${attempts})`, {
        ...context,
        hint: wording.rateLimitHint ?? "Try again later",
      });
    case "server_error":
      return new UnavailableError(`${subject}: ${host} is unavailable (HTTP ${failure.status}, ${attempts})`, context);
    case "timeout":
      return new UnavailableError(
        `${subject}: ${host} did not answer ${wording.deadline ?? "in time"} (${attempts})`,
        context,
      );
    case "unreachable":
      return new UnavailableError(
        `${subject}: could not reach ${host} (${failure.code ?? "connection failed"}, ${attempts})`,
        {
          ...context,
          ...(wording.unreachableHint ? { hint: wording.unreachableHint } : {}),
        },
      );
  }
}

const TIMED_OUT = Symbol("timed out");

/**
 * Sends `init` to `url` until it gets an answer that is not a 429 or a 5xx,
 * and returns it. Throws HttpRetryError when the retries or the deadline run
 * out, or the abort reason when `options.signal` aborts.
 */
export async function fetchWithRetry(
  url: string | URL,
  init: RequestInit,
  options: HttpRetryOptions,
): Promise<HttpAnswer> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const send = options.fetch ?? fetch;
  const limit = options.maxBodyBytes ?? MAX_RESPONSE_BYTES;
  const deadline = now() + options.timeoutMs;
  let failure: HttpRetryFailure | undefined;
  for (let attempts = 1; ; attempts++) {
    options.signal?.throwIfAborted();
    const remaining = deadline - now();
    if (remaining <= 0) throw new HttpRetryError(failure ?? { kind: "timeout", attempts: attempts - 1 });
    let waitMs = backoff(options, attempts);
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(TIMED_OUT), remaining);
    const onAbort = () => attempt.abort(options.signal!.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await send(url, { ...init, signal: attempt.signal });
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel().catch(() => undefined);
        if (response.status === 429) {
          failure = { kind: "rate_limited", attempts };
          const asked = retryAfterMs(response.headers.get("retry-after"), now());
          if (asked !== undefined) waitMs = Math.max(options.waitMinMs, asked) + jitter(options.waitMinMs);
        } else {
          failure = { kind: "server_error", attempts, status: response.status };
        }
      } else {
        const body = await readText(response, limit, attempts);
        return { status: response.status, headers: response.headers, body, attempts };
      }
    } catch (error) {
      options.signal?.throwIfAborted();
      if (error instanceof HttpRetryError) throw error;
      if (attempt.signal.aborted && attempt.signal.reason === TIMED_OUT) {
        throw new HttpRetryError({ kind: "timeout", attempts });
      }
      const tls = tlsErrorCode(error);
      if (tls !== undefined) throw new HttpRetryError({ kind: "tls", attempts, code: tls });
      failure = { kind: "unreachable", attempts, code: errorCode(error) };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
    if (attempts > options.maxRetries || now() + waitMs >= deadline) throw new HttpRetryError(failure);
    await sleep(waitMs, options.signal);
  }
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds (`12`) or an
 * HTTP date. `undefined` when absent, unparsable, or not in the future.
 */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Number(text) * 1000;
    return ms > 0 ? ms : undefined;
  }
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return date > now ? date - now : undefined;
}

/** `waitMinMs` × 2^(attempt-1), capped at `waitMaxMs`, never under `waitMinMs`, plus jitter. */
function backoff(options: HttpRetryOptions, attempt: number): number {
  const wait = Math.max(options.waitMinMs, Math.min(options.waitMaxMs, options.waitMinMs * 2 ** (attempt - 1)));
  return wait + jitter(wait);
}

/** Up to a tenth of `ms` (at most 500 ms), always added. */
function jitter(ms: number): number {
  return Math.random() * Math.min(ms / 10, 500);
}

async function readText(response: Response, limit: number, attempts: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new HttpRetryError({ kind: "too_large", attempts, limit });
  }
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new HttpRetryError({ kind: "too_large", attempts, limit });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts (a retry's wait, for every backend). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
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
}
