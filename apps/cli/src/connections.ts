import type { ConnectionAdapter, ValidatedConnection } from "@bruin-ts/connections";
import { ConnectionResolver, type SecretsBackend, type SecretsError } from "@bruin-ts/secrets-core";
import type { Printer } from "./io.js";

/**
 * The connections of one run: resolved and validated once through the chosen
 * backend, opened on first use, closed together at the end.
 */
export class RunConnections {
  readonly #resolver: ConnectionResolver<ValidatedConnection>;
  readonly #open = new Map<string, Promise<ConnectionAdapter>>();
  readonly #connections: typeof import("@bruin-ts/connections");

  private constructor(backend: SecretsBackend, printer: Printer, connections: typeof import("@bruin-ts/connections")) {
    this.#connections = connections;
    this.#resolver = new ConnectionResolver<ValidatedConnection>({
      backend,
      redactor: printer.redactor,
      sensitiveValues: connections.sensitiveValues,
      validate: (secret, from) =>
        connections.validateConnection(secret, { backend: from.id, exitCode: from.exitCode ?? 3 }),
    });
  }

  static async create(backend: SecretsBackend, printer: Printer): Promise<RunConnections> {
    return new RunConnections(backend, printer, await import("@bruin-ts/connections"));
  }

  /** Resolves and validates every name concurrently; returns all failures. */
  async resolveAll(names: readonly string[]): Promise<SecretsError[]> {
    const { failures } = await this.#resolver.resolveAll(names);
    return failures;
  }

  resolve(name: string): Promise<ValidatedConnection> {
    return this.#resolver.resolve(name);
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
