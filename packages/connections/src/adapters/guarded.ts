import { ConnectionError } from "../errors.js";
import type { ConnectionType } from "../types.js";

/**
 * What the adapters for remote engines share: the driver session is opened
 * on first use (opening a connection never talks to the server, as with the
 * pg and mysql2 pools), a failed connect is retried by the next call, and
 * every driver failure leaves as a ConnectionError naming the connection.
 */
export abstract class GuardedAdapter<Session> {
  #session: Promise<Session> | undefined;
  #closed = false;

  constructor(
    readonly name: string,
    readonly type: ConnectionType,
  ) {}

  /** Establishes the driver session; called once, again only after a failure. */
  protected abstract connect(): Promise<Session>;
  /** Releases a session that was established. */
  protected abstract disconnect(session: Session): Promise<void>;

  /** Runs `task` on the (lazily connected) session, wrapping whatever the driver throws. */
  protected async withSession<T>(task: (session: Session) => Promise<T>): Promise<T> {
    if (this.#closed) throw new ConnectionError(this.name, this.type, "the connection is closed");
    try {
      return await task(await this.#connected());
    } catch (error) {
      throw ConnectionError.wrap(this.name, this.type, error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pending = this.#session;
    this.#session = undefined;
    const session = await pending?.catch(() => undefined);
    if (session === undefined) return;
    try {
      await this.disconnect(session);
    } catch (error) {
      throw ConnectionError.wrap(this.name, this.type, error);
    }
  }

  #connected(): Promise<Session> {
    if (!this.#session) {
      const attempt = this.connect();
      this.#session = attempt;
      attempt.catch(() => {
        if (this.#session === attempt) this.#session = undefined;
      });
    }
    return this.#session;
  }
}

/** Rejects when `task` has not settled within `ms`; `onTimeout` may release what the task holds. */
export function withDeadline<T>(task: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what}: no answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([task, deadline]).finally(() => clearTimeout(timer));
}
