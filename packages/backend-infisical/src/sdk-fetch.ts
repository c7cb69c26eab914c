/**
 * Why the SDK's requests go through our own transport.
 *
 * `@infisical/sdk` 5.0.2 calls the global `fetch` directly and offers no
 * transport, timeout or retry option. Left alone it retries 429 and network
 * errors four times with 1/2/4/8 s sleeps, ignores the seconds the server
 * names, never retries 5xx and puts the request URL into its error messages.
 * We still want the SDK to build the secret requests (paths, query names,
 * boolean encoding) so that we track the real client, but with our retry
 * rules and deadline.
 *
 * So the global `fetch` is wrapped once by a shim that is transparent to
 * everyone else: only calls made inside `runWithScopedFetch` (an
 * AsyncLocalStorage scope around one SDK call) are routed to our transport.
 * Our transport never throws at the SDK and never hands it a 429, so the
 * SDK's own retry loop never runs; when it gives up it answers with a
 * synthetic status 599 and records the real reason in the call's outcome.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { sendWithRetry, TransportError, type FetchLike, type RetryPolicy } from "./transport.js";

/** What happened to the last request of one SDK call, read back after the SDK throws. */
export interface CallOutcome {
  /** Final non-2xx answer from the server. */
  http?: { status: number; error?: string; message?: string };
  /** The transport gave up (deadline, outage, unreachable). */
  transport?: TransportError;
  /** The caller aborted. */
  aborted?: unknown;
}

const SHIM = Symbol.for("@bruin-ts/backend-infisical.fetch-shim");
const scope = new AsyncLocalStorage<FetchLike>();

type ShimmedFetch = typeof fetch & { [SHIM]?: true };

function installFetchShim(): void {
  const current = globalThis.fetch as ShimmedFetch;
  if (current[SHIM]) return;
  const shim = function (input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const scoped = scope.getStore();
    return scoped ? scoped(input, init) : current(input, init);
  } as ShimmedFetch;
  shim[SHIM] = true;
  globalThis.fetch = shim;
}

/**
 * Runs `call` (one SDK method) with every `fetch` it makes sent through
 * `sendWithRetry` on `baseFetch`. Returns the call's result, or throws the
 * SDK's error together with what really happened.
 */
export async function runWithScopedFetch<T>(
  call: () => Promise<T>,
  baseFetch: FetchLike,
  policy: RetryPolicy,
  deadline: number,
  signal?: AbortSignal,
): Promise<{ value: T } | { error: unknown; outcome: CallOutcome }> {
  installFetchShim();
  const outcome: CallOutcome = {};
  const scoped: FetchLike = async (input, init) => {
    // The SDK's own 10 s abort signal is ignored: our per-attempt timeout and deadline replace it.
    const { signal: _sdkSignal, ...rest } = init ?? {};
    try {
      const response = await sendWithRetry(
        // Outside the scope, so a baseFetch that is itself the global shim does not loop back here.
        (attemptSignal) => scope.exit(() => baseFetch(input, { ...rest, signal: attemptSignal })),
        policy,
        deadline,
        signal,
      );
      if (response.ok) return response;
      const text = await response.text();
      outcome.http = { status: response.status, ...serverMessage(text) };
      return new Response(text, { status: response.status });
    } catch (error) {
      if (error instanceof TransportError) outcome.transport = error;
      else outcome.aborted = error;
      return new Response(JSON.stringify({ message: "request abandoned" }), { status: 599 });
    }
  };
  try {
    return { value: await scope.run(scoped, call) };
  } catch (error) {
    return { error, outcome };
  }
}

/** Reads `{ error, message }` from an Infisical error body; a 422's array message is dropped. */
export function serverMessage(text: string): { error?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    return {
      error: typeof body.error === "string" ? body.error : undefined,
      message: typeof body.message === "string" ? body.message : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * Reads status and server message from an SDK error, for errors that did not
 * pass through our transport. `InfisicalSDKRequestError` messages look like
 * `[URL=...] [Method=GET] [StatusCode=404] Secret with name 'X' not found`;
 * only the status and the text after the last bracket are kept, never the URL.
 */
export function parseSdkError(error: unknown): { status?: number; message?: string } {
  if (!(error instanceof Error)) return {};
  if (error.name === "InfisicalSDKRequestError") {
    const status = /\[StatusCode=(\d+)\]/.exec(error.message);
    const tail = /\[StatusCode=\d+\]\s*(.*)$/s.exec(error.message);
    return { status: status ? Number(status[1]) : undefined, message: tail?.[1]?.trim() || undefined };
  }
  return {};
}
