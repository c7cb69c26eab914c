import {
  ConfigurationError,
  InterruptedError,
  NotFoundError,
  SecretsError,
  UnavailableError,
  connectionNameProblem,
  displayName,
} from "./errors.js";
import { MIN_SECRET_LENGTH, type Redactor } from "./redactor.js";
import type { ConnectionSecret, SecretsBackend } from "./types.js";

export interface ResolverOptions<T> {
  backend: SecretsBackend;
  /** Every value `sensitiveValues` returns is registered here before validation runs. */
  redactor?: Redactor;
  /** The values of a fetched secret that must never be printed. */
  sensitiveValues?: (secret: ConnectionSecret) => unknown[];
  /** The same values with the field each one is in; used instead of `sensitiveValues` when given. */
  sensitiveFields?: (secret: ConnectionSecret) => ReadonlyArray<{ field: string; value: unknown }>;
  /**
   * Called once for each sensitive field of a valid connection whose value is
   * too short to be masked (under MIN_SECRET_LENGTH characters). It is given
   * the connection and the field, never the value.
   */
  onUnmaskedField?: (notice: { connection: string; field: string; minimum: number }) => void;
  /** Turns a fetched secret into what callers get; throws a SecretsError when it is invalid. */
  validate?: (secret: ConnectionSecret, backend: SecretsBackend) => T;
}

export interface ResolveAllResult<T> {
  connections: Map<string, T>;
  failures: SecretsError[];
}

const INTERRUPTED =
  "interrupted while connections were being resolved; the requests in flight were abandoned and nothing was run";

/**
 * Resolves connections through one backend for the length of a run. Each name
 * is fetched and validated at most once, however many callers ask at the same
 * moment (the pending promise is shared); distinct names are fetched
 * concurrently. Results stay in memory only.
 *
 * Names that cannot be connection names (`.`, `..`, or containing `/`, `\`
 * or control characters) are refused here, before any backend is asked, so
 * that no backend ever turns one into a path or URL of something else.
 *
 * An aborted `signal` abandons what is in flight: the callers get an
 * InterruptedError (exit 130) at once, and the name is not cached, so a later
 * call asks again.
 */
export class ConnectionResolver<T = ConnectionSecret> {
  readonly backend: SecretsBackend;
  readonly #options: ResolverOptions<T>;
  readonly #cache = new Map<string, Promise<T>>();
  /** Connections resolved already: answered whatever the signal, since nothing is in flight for them. */
  readonly #resolved = new Set<string>();

  constructor(options: ResolverOptions<T>) {
    this.backend = options.backend;
    this.#options = options;
  }

  resolve(name: string, signal?: AbortSignal): Promise<T> {
    if (this.#resolved.has(name)) return this.#cache.get(name)!;
    if (signal?.aborted) return Promise.reject(this.#interrupted(signal));
    let pending = this.#cache.get(name);
    if (!pending) {
      const loading = this.#load(name, signal);
      loading.then(
        () => void this.#resolved.add(name),
        () => undefined,
      );
      pending = loading;
      // Rejections are cached too: a broken connection is reported once per run. An interruption is not.
      loading.catch((error: unknown) => {
        if (
          error instanceof InterruptedError &&
          // Stryker disable next-line ConditionalExpression: equivalent: only this handler removes the entry, so it still holds `loading` here
          this.#cache.get(name) === loading
        )
          this.#cache.delete(name);
      });
      this.#cache.set(name, pending);
    }
    return untilAborted(pending, signal, () => this.#interrupted(signal));
  }

  /**
   * Resolves every name concurrently and reports all failures together.
   * Throws an InterruptedError as soon as `signal` aborts.
   */
  async resolveAll(names: Iterable<string>, signal?: AbortSignal): Promise<ResolveAllResult<T>> {
    const unique = [...new Set(names)];
    const settled = await untilAborted(
      Promise.allSettled(unique.map((name) => this.resolve(name, signal))),
      signal,
      () => this.#interrupted(signal),
    );
    const interruption = settled.find(
      (result) => result.status === "rejected" && result.reason instanceof InterruptedError,
    );
    if (interruption) throw (interruption as PromiseRejectedResult).reason;
    const connections = new Map<string, T>();
    const failures: SecretsError[] = [];
    settled.forEach((result, index) => {
      const name = unique[index]!;
      if (result.status === "fulfilled") connections.set(name, result.value);
      else failures.push(this.#asSecretsError(result.reason, name));
    });
    return { connections, failures };
  }

  async #load(name: string, signal?: AbortSignal): Promise<T> {
    const { backend, redactor, sensitiveValues, sensitiveFields, validate, onUnmaskedField } = this.#options;
    const problem = connectionNameProblem(name);
    if (problem) {
      throw new ConfigurationError(`invalid connection name '${displayName(name)}': ${problem}`, {
        backend: backend.id,
        connection: name,
        exitCode: backend.exitCode,
        hint: "Connection names may not be '.' or '..', nor contain '/', '\\' or control characters",
      });
    }
    let secret: ConnectionSecret | undefined;
    try {
      secret = await backend.get(name, signal);
    } catch (error) {
      if (signal?.aborted) throw this.#interrupted(signal);
      throw this.#asSecretsError(error, name);
    }
    if (!secret) {
      throw new NotFoundError(`connection '${name}' not found in ${backend.describe()}`, {
        backend: backend.id,
        connection: name,
        exitCode: backend.exitCode,
      });
    }
    const unmasked: string[] = [];
    if (redactor && sensitiveFields) {
      for (const { field, value } of sensitiveFields(secret)) {
        const masked = redactor.addAll(value);
        if (!masked && (typeof value === "string" || typeof value === "number")) unmasked.push(field);
      }
    } else if (redactor && sensitiveValues) {
      for (const value of sensitiveValues(secret)) redactor.addAll(value);
    }
    const connection = validate ? validate(secret, backend) : (secret as T);
    // Only for a connection that is valid: an invalid one fails with its own message.
    for (const field of unmasked) onUnmaskedField?.({ connection: name, field, minimum: MIN_SECRET_LENGTH });
    return connection;
  }

  #interrupted(signal: AbortSignal | undefined): InterruptedError {
    // Stryker disable next-line OptionalChaining: equivalent: only ever called with the signal that aborted
    const reason: unknown = signal?.reason;
    if (reason instanceof InterruptedError) return reason;
    return new InterruptedError(INTERRUPTED, { backend: this.backend.id }, { cause: reason });
  }

  #asSecretsError(error: unknown, name: string): SecretsError {
    if (error instanceof SecretsError) return error;
    // An unexpected failure must not leak its raw message: it may hold a URL or a value.
    return new UnavailableError(
      `failed to resolve connection '${name}' from ${this.backend.describe()}`,
      {
        backend: this.backend.id,
        connection: name,
        exitCode: this.backend.exitCode,
        detail: error instanceof Error ? error.name : typeof error,
      },
      { cause: error },
    );
  }
}

/** One promise per signal that rejects when it aborts: a single listener however many waits share it. */
const abortions = new WeakMap<AbortSignal, Promise<never>>();

function whenAborted(signal: AbortSignal): Promise<never> {
  let aborted = abortions.get(signal);
  if (!aborted) {
    aborted = new Promise<never>((_, reject) =>
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent: a signal fires "abort" at most once
      signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
    );
    aborted.catch(() => undefined);
    abortions.set(signal, aborted);
  }
  return aborted;
}

/** Waits for `promise`, or rejects with `interrupted()` as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, interrupted: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(interrupted());
  return Promise.race([
    promise,
    whenAborted(signal).catch(() => {
      throw interrupted();
    }),
  ]);
}
