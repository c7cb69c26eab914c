import { NotFoundError, SecretsError, UnavailableError } from "./errors.js";
import type { Redactor } from "./redactor.js";
import type { ConnectionSecret, SecretsBackend } from "./types.js";

export interface ResolverOptions<T> {
  backend: SecretsBackend;
  /** Every value `sensitiveValues` returns is registered here before validation runs. */
  redactor?: Redactor;
  /** The values of a fetched secret that must never be printed. */
  sensitiveValues?: (secret: ConnectionSecret) => unknown[];
  /** Turns a fetched secret into what callers get; throws a SecretsError when it is invalid. */
  validate?: (secret: ConnectionSecret, backend: SecretsBackend) => T;
}

export interface ResolveAllResult<T> {
  connections: Map<string, T>;
  failures: SecretsError[];
}

/**
 * Resolves connections through one backend for the length of a run. Each name
 * is fetched and validated at most once, however many callers ask at the same
 * moment (the pending promise is shared); distinct names are fetched
 * concurrently. Results stay in memory only.
 */
export class ConnectionResolver<T = ConnectionSecret> {
  readonly backend: SecretsBackend;
  readonly #options: ResolverOptions<T>;
  readonly #cache = new Map<string, Promise<T>>();

  constructor(options: ResolverOptions<T>) {
    this.backend = options.backend;
    this.#options = options;
  }

  resolve(name: string, signal?: AbortSignal): Promise<T> {
    let pending = this.#cache.get(name);
    if (!pending) {
      pending = this.#load(name, signal);
      // Rejections are cached too: a broken connection is reported once per run.
      pending.catch(() => undefined);
      this.#cache.set(name, pending);
    }
    return pending;
  }

  /** Resolves every name concurrently and reports all failures together. */
  async resolveAll(names: Iterable<string>, signal?: AbortSignal): Promise<ResolveAllResult<T>> {
    const unique = [...new Set(names)];
    const settled = await Promise.allSettled(unique.map((name) => this.resolve(name, signal)));
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
    const { backend, redactor, sensitiveValues, validate } = this.#options;
    let secret: ConnectionSecret | undefined;
    try {
      secret = await backend.get(name, signal);
    } catch (error) {
      throw this.#asSecretsError(error, name);
    }
    if (!secret) {
      throw new NotFoundError(`connection '${name}' not found in ${backend.describe()}`, {
        backend: backend.id,
        connection: name,
        exitCode: backend.exitCode,
      });
    }
    if (redactor && sensitiveValues) {
      for (const value of sensitiveValues(secret)) redactor.addAll(value);
    }
    return validate ? validate(secret, backend) : (secret as T);
  }

  #asSecretsError(error: unknown, name: string): SecretsError {
    if (error instanceof SecretsError) return error;
    // An unexpected failure must not leak its raw message: it may hold a URL or a value.
    return new UnavailableError(`failed to resolve connection '${name}' from ${this.backend.describe()}`, {
      backend: this.backend.id,
      connection: name,
      exitCode: this.backend.exitCode,
      detail: error instanceof Error ? error.name : typeof error,
    }, { cause: error });
  }
}
