import type { ConnectionAdapter, ValidatedConnection } from "@bruin-ts/connections";
import { ConnectionResolver, EXIT_CODES, InterruptedError, type SecretsBackend, type SecretsError } from "@bruin-ts/secrets-core";
import type { Printer } from "./io.js";

/**
 * The connections of one run: resolved and validated once through the chosen
 * backend, opened on first use, closed together at the end.
 *
 * `signal` is the user's interrupt (Ctrl-C, SIGTERM). When it aborts while
 * connections are being resolved, the backend's requests in flight are
 * abandoned and resolution throws an InterruptedError (exit 130) at once:
 * nothing has run yet, so nothing is lost.
 */
export class RunConnections {
  readonly #resolver: ConnectionResolver<ValidatedConnection>;
  readonly #open = new Map<string, Promise<ConnectionAdapter>>();
  readonly #connections: typeof import("@bruin-ts/connections");
  readonly #signal: AbortSignal | undefined;
  readonly #backendId: string;

  private constructor(
    backend: SecretsBackend,
    printer: Printer,
    connections: typeof import("@bruin-ts/connections"),
    signal: AbortSignal | undefined,
  ) {
    this.#connections = connections;
    this.#signal = signal;
    this.#backendId = backend.id;
    this.#resolver = new ConnectionResolver<ValidatedConnection>({
      backend,
      redactor: printer.redactor,
      sensitiveFields: connections.sensitiveFieldValues,
      // A value too short to be masked would be printed as it is wherever it shows up: say so, without it.
      onUnmaskedField: ({ connection, field, minimum }) =>
        printer.err(`Warning: connection '${connection}': its ${field} is shorter than ${minimum} characters, so it is not masked in output`),
      validate: (secret, from) =>
        connections.validateConnection(secret, { backend: from.id, exitCode: from.exitCode ?? EXIT_CODES.secretsBackend }),
    });
  }

  static async create(backend: SecretsBackend, printer: Printer, signal?: AbortSignal): Promise<RunConnections> {
    return new RunConnections(backend, printer, await import("@bruin-ts/connections"), signal);
  }

  /** Resolves and validates every name concurrently; returns all failures. Throws an InterruptedError when interrupted. */
  async resolveAll(names: readonly string[]): Promise<SecretsError[]> {
    const { failures } = await this.#resolver.resolveAll(names, this.#signal);
    return failures;
  }

  resolve(name: string): Promise<ValidatedConnection> {
    return this.#resolver.resolve(name, this.#signal);
  }

  /** Throws the InterruptedError of an interruption that came while connections were resolved. */
  throwIfInterrupted(): void {
    if (this.#signal?.aborted) throw this.interrupted();
  }

  interrupted(): InterruptedError {
    return new InterruptedError("interrupted while connections were being resolved; the requests in flight were abandoned and nothing was run", {
      backend: this.#backendId,
    });
  }

  open(name: string): Promise<ConnectionAdapter> {
    let adapter = this.#open.get(name);
    if (!adapter) {
      adapter = this.resolve(name).then((connection) => this.#connections.openConnection(connection));
      this.#open.set(name, adapter);
    }
    return adapter;
  }

  /**
   * Asks the server of every open connection to cancel what it is running
   * (a second Ctrl-C). Bounded by `withinMs`: an engine that does not answer
   * in time is left to the process exit.
   */
  async cancelAll(withinMs: number): Promise<void> {
    const pending = [...this.#open.values()].map(async (opening) => {
      const adapter = await opening.catch(() => undefined);
      await adapter?.cancel?.();
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, withinMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled(pending), bound]);
    clearTimeout(timer);
  }

  async closeAll(): Promise<void> {
    const pending = [...this.#open.values()];
    this.#open.clear();
    await Promise.allSettled(pending.map(async (adapter) => (await adapter).close()));
  }
}

/** One line per failure, the same failure once, and the exit code they call for. */
export function summarizeFailures(failures: readonly SecretsError[]): { lines: string[]; exitCode: number } {
  const lines = [...new Set(failures.map((failure) => failure.describe()))];
  const exitCode = Math.max(...failures.map((failure) => failure.exitCode));
  return { lines, exitCode };
}
