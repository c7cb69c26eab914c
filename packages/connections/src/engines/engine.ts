import type { OpenOptions } from "../open-options.js";
import type { ConnectionAdapter, ConnectionType, Dialect, ValidatedConnection } from "../types.js";

/**
 * What this package knows of one engine: the connection type it opens, the
 * dialect its adapter speaks, and how to open it. One module per engine under
 * `engines/`, listed once in `engines/index.ts`. The SQL an engine runs for a
 * pipeline (strategies, checks, table swaps) lives in `@bruin-ts/pipeline`'s
 * engine module of the same name.
 */
export interface ConnectionEngine {
  /** The connection type (a secret's `type`). */
  readonly type: ConnectionType;
  /** Other names a secret's `type` may use for it (`mongo` for `mongodb`). */
  readonly aliases?: readonly string[];
  /** The dialect of its adapter; absent for a type that is not a database (`generic`). */
  readonly dialect?: Dialect;
  /** Whether the dialect is SQL (`dialectFor` answers only for these). */
  readonly sql: boolean;
  /**
   * The npm package of its driver, an optional peer dependency of this
   * package: a connection of this type needs it installed next to
   * `@bruin-ts/connections`. Absent for a type that opens no database.
   */
  readonly driver?: string;
  /** A value for assets to read (an API key, a URL), injected as it is, rather than a database's details. */
  readonly plainValue?: boolean;
  /** An embedded database whose file one process holds at a time. */
  readonly locksFile?: boolean;
  /**
   * Opens the adapter. Drivers are loaded with `import()` here, the first
   * time a connection of the type is opened, so a run loads only the drivers
   * of the types it uses.
   */
  open(connection: ValidatedConnection, options?: OpenOptions): Promise<ConnectionAdapter>;
}
