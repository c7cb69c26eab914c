/**
 * Gathers the reads asked for during one turn of the event loop, so that the
 * backend can answer many of them with one request (see `InfisicalBackend`).
 *
 * A run resolves its connections all at once (`ConnectionResolver.resolveAll`
 * calls `get` for every name in the same turn), so the first request opens a
 * window that closes at the next `setImmediate`; everything asked until then
 * is handed to `fetch` together, one entry per distinct name. Later requests
 * open the next window. A name asked twice in one window is fetched once and
 * both callers get the same answer.
 *
 * Each caller's abort signal stops its own wait only. The signal handed to
 * `fetch` for a name (or for the whole window) aborts once every caller
 * waiting on it has aborted, and never when one of them has no signal.
 */

/** How many distinct names, asked in the same turn, make the backend list the folder instead of reading each. */
export const BATCH_THRESHOLD = 5;

/** Starts the fetch of every name of one window; returns one answer per name. */
export type BatchFetch<T> = (
  names: ReadonlyMap<string, AbortSignal | undefined>,
  signal: AbortSignal | undefined,
) => Map<string, Promise<T>>;

interface Waiter<T> {
  signal: AbortSignal | undefined;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export class ReadBatcher<T> {
  readonly #fetch: BatchFetch<T>;
  #window: Map<string, Waiter<T>[]> | undefined;

  constructor(fetch: BatchFetch<T>) {
    this.#fetch = fetch;
  }

  request(name: string, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.#window) {
      this.#window = new Map();
      setImmediate(() => this.#flush());
    }
    const waiters = this.#window.get(name) ?? [];
    this.#window.set(name, waiters);
    return new Promise<T>((resolve, reject) => waiters.push({ signal, resolve, reject }));
  }

  #flush(): void {
    const window = this.#window;
    this.#window = undefined;
    if (!window) return;
    const releases: Array<() => void> = [];
    const names = new Map<string, AbortSignal | undefined>();
    for (const [name, waiters] of window) {
      const shared = whenAllAborted(waiters.map((waiter) => waiter.signal));
      releases.push(shared.release);
      names.set(name, shared.signal);
    }
    const all = whenAllAborted([...window.values()].flat().map((waiter) => waiter.signal));
    releases.push(all.release);
    let answers: Map<string, Promise<T>>;
    try {
      answers = this.#fetch(names, all.signal);
    } catch (error) {
      answers = new Map([...names.keys()].map((name) => [name, Promise.reject(error)]));
    }
    const settled = [...window].map(([name, waiters]) => {
      const answer = answers.get(name) ?? Promise.reject(new Error(`no answer for '${name}'`));
      for (const waiter of waiters) untilAborted(answer, waiter.signal).then(waiter.resolve, waiter.reject);
      return answer;
    });
    const release = () => releases.forEach((fn) => fn());
    Promise.allSettled(settled).then(release, release);
  }
}

/** Waits for `promise`, or rejects with the abort reason as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A signal that aborts once all of `signals` have; none when one of them is missing. */
export function whenAllAborted(signals: Array<AbortSignal | undefined>): {
  signal: AbortSignal | undefined;
  release: () => void;
} {
  const none = { signal: undefined, release: () => undefined };
  if (signals.length === 0 || signals.some((signal) => signal === undefined)) return none;
  const distinct = [...new Set(signals as AbortSignal[])];
  if (distinct.length === 1) return { signal: distinct[0], release: none.release };
  const controller = new AbortController();
  const check = () => {
    if (distinct.every((signal) => signal.aborted)) controller.abort(distinct[distinct.length - 1]!.reason);
  };
  for (const signal of distinct) signal.addEventListener("abort", check, { once: true });
  check();
  return {
    signal: controller.signal,
    release: () => distinct.forEach((signal) => signal.removeEventListener("abort", check)),
  };
}
