import type { ConnectionAdapter, ValidatedConnection } from "@bruin-ts/connections";
import {
  ConnectionResolver,
  EXIT_CODES,
  InterruptedError,
  type SecretsBackend,
  type SecretsError,
} from "@bruin-ts/secrets-core";
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
        printer.err(
          `Warning: connection '${connection}': its ${field} is shorter than ${minimum} characters, so it is not masked in output`,
        ),
      validate: (secret, from) =>
        connections.validateConnection(secret, {
          backend: from.id,
          exitCode: from.exitCode ?? EXIT_CODES.secretsBackend,
        }),
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
    return new InterruptedError(
      "interrupted while connections were being resolved; the requests in flight were abandoned and nothing was run",
      {
        backend: this.#backendId,
      },
    );
  }

  open(name: string): Promise<ConnectionAdapter> {
    let adapter = this.#open.get(name);
    if (!adapter) {
      adapter = this.resolve(name).then(async (connection) =>
        this.#stoppable(await this.#connections.openConnection(connection)),
      );
      this.#open.set(name, adapter);
    }
    return adapter;
  }

  /** Statements running now, per connection: what a stop keeps cancelling until they end. */
  readonly #running = new Map<string, number>();
  #stopping = false;

  /**
   * The adapter as the run sees it: once `cancelAll` was called, no further
   * statement starts, and the ones running are known, so that the cancel can
   * be repeated until they end (a statement handed to the driver an instant
   * before the cancel may not have reached the server yet).
   */
  #stoppable(adapter: ConnectionAdapter): ConnectionAdapter {
    const track = async <T>(call: () => Promise<T>): Promise<T> => {
      if (this.#stopping) throw new Error(`connection '${adapter.name}': not started, the run is stopping`);
      this.#running.set(adapter.name, (this.#running.get(adapter.name) ?? 0) + 1);
      try {
        return await call();
      } finally {
        this.#running.set(adapter.name, this.#running.get(adapter.name)! - 1);
      }
    };
    return {
      name: adapter.name,
      type: adapter.type,
      dialect: adapter.dialect,
      query: (sql) => track(() => adapter.query(sql)),
      exec: (sql) => track(() => adapter.exec(sql)),
      transaction: (statements) => track(() => adapter.transaction(statements)),
      ping: () => track(() => adapter.ping()),
      ...(adapter.copyFrom
        ? {
            copyFrom: (statement: string, data: AsyncIterable<string>) =>
              track(() => adapter.copyFrom!(statement, data)),
          }
        : {}),
      ...(adapter.cancel ? { cancel: (scope?: object) => adapter.cancel!(scope) } : {}),
      close: () => adapter.close(),
    };
  }

  /**
   * Asks the server of every open connection to cancel what it is running
   * (a second Ctrl-C). Bounded by `withinMs`: an engine that does not answer
   * in time is left to the process exit.
   */
  async cancelAll(withinMs: number): Promise<void> {
    this.#stopping = true;
    const until = Date.now() + withinMs;
    const pending = [...this.#open.values()].map(async (opening) => {
      const adapter = await opening.catch(() => undefined);
      if (!adapter?.cancel) return;
      // Asked again while statements still run: one handed to the driver just before may have missed the first.
      do {
        await adapter.cancel();
        if (!this.#runningOn(adapter.name)) return;
        await new Promise((resolve) => setTimeout(resolve, CANCEL_REPEAT_MS).unref());
      } while (this.#runningOn(adapter.name) && Date.now() < until);
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, withinMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled(pending), bound]);
    clearTimeout(timer);
  }

  #runningOn(name: string): boolean {
    return (this.#running.get(name) ?? 0) > 0;
  }

  async closeAll(): Promise<void> {
    const pending = [...this.#open.values()];
    this.#open.clear();
    await Promise.allSettled(pending.map(async (adapter) => (await adapter).close()));
  }
}

/** How often a stop asks again while a cancelled statement still runs. */
const CANCEL_REPEAT_MS = 100;

/** One line per failure, the same failure once, and the exit code they call for. */
export function summarizeFailures(failures: readonly SecretsError[]): { lines: string[]; exitCode: number } {
  const lines = [...new Set(failures.map((failure) => failure.describe()))];
  const exitCode = Math.max(...failures.map((failure) => failure.exitCode));
  return { lines, exitCode };
}
