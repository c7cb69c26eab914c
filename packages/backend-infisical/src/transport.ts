/**
 * HTTP with the retry rules Infisical needs, inside one overall deadline:
 * 429 waits the seconds the server names, 5xx / dropped connections /
 * timeouts back off exponentially with jitter, every other status is
 * returned at once. A request never outlives the deadline, so a persistent
 * outage fails in `deadlineMs`, not after minutes of retries.
 */
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
  /** First backoff; doubles per attempt up to `maxBackoffMs`. */
  retryBaseMs: number;
  maxBackoffMs: number;
  /** Attempts per request, a bound even when the clock does not move. */
  maxAttempts: number;
}

/** Why a request was given up; carries no URL and no body. */
export type TransportFailure =
  | { kind: "unreachable"; attempts: number }
  | { kind: "timeout"; attempts: number }
  | { kind: "rate_limited"; attempts: number; retryAfterSeconds?: number }
  | { kind: "server_error"; attempts: number; status: number };

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
  for (;;) {
    signal?.throwIfAborted();
    const remaining = deadline - policy.now();
    if (remaining <= 0) throw new TransportError(failure ?? { kind: "timeout", attempts });
    attempts += 1;
    let waitMs = backoff(policy, attempts);
    const timeout = new AbortController();
    // Ref'd on purpose: an awaited request must keep the process alive; it is always cleared.
    const timer = setTimeout(() => timeout.abort(), Math.min(policy.requestTimeoutMs, remaining));
    try {
      const response = await send(signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal);
      if (response.status === 429) {
        const retryAfterSeconds = await retryAfter(response);
        failure = { kind: "rate_limited", attempts, retryAfterSeconds };
        if (retryAfterSeconds !== undefined) waitMs = retryAfterSeconds * 1000 + jitter(policy.retryBaseMs);
      } else if (response.status >= 500) {
        // Not awaited: cancelling can wait on other readers of a teed body.
        void response.body?.cancel().catch(() => undefined);
        failure = { kind: "server_error", attempts, status: response.status };
      } else {
        return response;
      }
    } catch (error) {
      signal?.throwIfAborted();
      failure = { kind: timeout.signal.aborted ? "timeout" : "unreachable", attempts };
      void error; // A network error's message names the URL; only its kind is kept.
    } finally {
      clearTimeout(timer);
    }
    if (attempts >= policy.maxAttempts || policy.now() + waitMs >= deadline) throw new TransportError(failure!);
    await policy.sleep(waitMs, signal);
  }
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
  if (fromBody !== undefined) return fromBody;
  const header = Number(response.headers.get("retry-after"));
  return Number.isFinite(header) && header >= 0 ? header : undefined;
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.retryBaseMs * 2 ** (attempt - 1));
  // "Equal jitter": at least half the ceiling, so retries neither stampede nor collapse to zero.
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function jitter(baseMs: number): number {
  return Math.random() * Math.min(baseMs, 250);
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
