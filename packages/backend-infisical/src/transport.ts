/**
 * The retry rules Infisical needs, applied around one `@infisical/sdk` call
 * at a time, inside one overall deadline. The SDK sends the requests with
 * the platform's `fetch`; this module only decides, from what the SDK
 * reports, whether to call it again and when:
 *
 * - 429 waits the seconds the server names (Infisical's message "try again
 *   in N seconds"); a 429 without a usable wait backs off like a 5xx;
 * - 5xx, failed connections and attempts that take longer than
 *   `requestTimeoutMs` back off exponentially;
 * - every other status is final at once.
 *
 * Every wait is at least `retryBaseMs` (250 ms by default) with jitter on
 * top. Nothing outlives the deadline: a persistent outage fails in
 * `deadlineMs`, not after minutes of retries, and an abort answers at once.
 *
 * What the SDK does inside one call is its own business: version 5.0.2
 * retries a 429 or a failed connection up to four times (1, 2, 4, 8 s) before
 * it reports it. Those inner retries count against the attempt's time here.
 */
import { abortableSleep } from "@bruin-ts/secrets-core";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  now: () => number;
  sleep: Sleep;
  /** Per attempt (one SDK call, the SDK's own retries included). */
  requestTimeoutMs: number;
  /** First backoff and the floor of every wait; doubles per attempt up to `maxBackoffMs`. Jitter comes on top. */
  retryBaseMs: number;
  maxBackoffMs: number;
  /** Attempts per call, a bound even when the clock does not move. */
  maxAttempts: number;
}

/** Why a call was given up; carries no URL and no body. */
export type TransportFailure =
  | { kind: "unreachable"; attempts: number }
  | { kind: "timeout"; attempts: number }
  | { kind: "rate_limited"; attempts: number; retryAfterSeconds?: number | undefined }
  | { kind: "server_error"; attempts: number; status: number }
  /** The TLS handshake failed; `code` is Node's error code, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. Never retried. */
  | { kind: "tls"; attempts: number; code: string };

export class TransportError extends Error {
  readonly failure: TransportFailure;
  constructor(failure: TransportFailure) {
    super(`request abandoned: ${failure.kind} after ${failure.attempts} attempt(s)`);
    this.name = "TransportError";
    this.failure = failure;
  }
}

/** A final answer from the server (a 4xx other than 429), as the SDK reported it. */
export class HttpAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly serverMessage: string | undefined,
  ) {
    super(`HTTP ${status}`);
    this.name = "HttpAnswerError";
  }
}

/**
 * Reads status and server message from an SDK error. `InfisicalSDKRequestError`
 * messages look like `[URL=...] [Method=GET] [StatusCode=404] Secret with name
 * 'X' not found`: only the status and the text after the last bracket are
 * kept, never the URL. An error page without a JSON message comes as
 * `Request failed with status 502`. Anything else (`fetch failed`, the SDK's
 * own timeout) has no status: the connection failed.
 */
export function parseSdkError(error: unknown): { status?: number; message?: string | undefined } {
  if (!(error instanceof Error)) return {};
  const tagged = /\[StatusCode=(\d+)\]\s*(.*)$/s.exec(error.message);
  // Stryker disable next-line OptionalChaining: equivalent: the group (.*) always takes part in a match, so it is a string
  if (tagged) return { status: Number(tagged[1]), message: tagged[2]?.trim() || undefined };
  const plain = /^Request failed with status (\d+)$/.exec(error.message);
  if (plain) return { status: Number(plain[1]) };
  return {};
}

const TIMED_OUT = Symbol("timed out");

/**
 * Calls `call` (one SDK method) until it answers, or fails in a way that is
 * final. Throws HttpAnswerError for a final HTTP answer, TransportError when
 * the deadline or the attempt bound is reached first, and the abort reason
 * when `signal` aborts. An attempt that is given up (timeout, abort) is left
 * to finish in the background: the SDK offers no way to cancel it.
 */
export async function callWithRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  deadline: number,
  signal?: AbortSignal,
): Promise<T> {
  let attempts = 0;
  let failure: TransportFailure | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const remaining = deadline - policy.now();
    if (remaining <= 0) throw new TransportError(failure ?? { kind: "timeout", attempts });
    attempts += 1;
    let waitMs = backoff(policy, attempts);
    try {
      return await within(call, Math.min(policy.requestTimeoutMs, remaining), signal);
    } catch (error) {
      signal?.throwIfAborted();
      if (error === TIMED_OUT) {
        failure = { kind: "timeout", attempts };
      } else {
        const { status, message } = parseSdkError(error);
        if (status === 429) {
          const retryAfterSeconds = retryAfterFromMessage(message);
          failure = { kind: "rate_limited", attempts, retryAfterSeconds };
          // Absent or 0 is not usable: back off exponentially instead of hammering the server.
          if (
            // Stryker disable next-line ConditionalExpression: equivalent: undefined > 0 is false too
            retryAfterSeconds !== undefined &&
            retryAfterSeconds > 0
          ) {
            waitMs = Math.max(policy.retryBaseMs, retryAfterSeconds * 1000) + jitter(policy.retryBaseMs);
          }
        } else if (
          // Stryker disable next-line ConditionalExpression: equivalent: undefined >= 500 is false too
          status !== undefined &&
          status >= 500
        ) {
          failure = { kind: "server_error", attempts, status };
        } else if (status !== undefined) {
          throw new HttpAnswerError(status, message);
        } else if (error instanceof Error && error.name === "InfisicalSDKError") {
          // A message-only SDK error: the connection failed (its message may name the URL; only the kind is kept).
          failure = { kind: "unreachable", attempts };
        } else {
          throw error;
        }
      }
    }
    if (attempts >= policy.maxAttempts || policy.now() + waitMs >= deadline) throw new TransportError(failure);
    await policy.sleep(waitMs, signal);
  }
}

/** `call()`, or TIMED_OUT after `ms`, or the abort reason: whichever comes first. */
function within<T>(call: () => Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(signal!.reason));
    // Ref'd on purpose: an awaited call must keep the process alive; it is always cleared.
    const timer = setTimeout(() => finish(() => reject(TIMED_OUT)), ms);
    let done = false;
    function finish(settle: () => void): void {
      // Stryker disable next-line ConditionalExpression: equivalent: a second finish only clears what is cleared and settles a settled promise
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    }
    // Stryker disable next-line ObjectLiteral: equivalent: finish() removes the listener when it runs
    signal?.addEventListener("abort", onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** `Rate limit exceeded. Please try again in 12 seconds` → 12. */
export function retryAfterFromMessage(message: unknown): number | undefined {
  if (typeof message !== "string") return undefined;
  const match = /try again in (\d+(?:\.\d+)?)\s*(second|minute)/i.exec(message);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2]!.toLowerCase() === "minute" ? amount * 60 : amount;
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

export const realSleep: Sleep = abortableSleep;
