import type { ConnectionAdapter } from "@bruin-ts/connections";

/**
 * The adapter with `prefix` (a `-- comment\n` line) put before every
 * statement it runs: `query`, `exec` and each statement of a `transaction`.
 * Everything else (cancel, copyFrom, close, the dialect) is the adapter's own.
 */
export function withStatementPrefix(adapter: ConnectionAdapter, prefix: string): ConnectionAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property === "query") return (sql: string) => target.query(prefix + sql);
      if (property === "exec") return (sql: string) => target.exec(prefix + sql);
      if (property === "transaction")
        return (statements: readonly string[]) => target.transaction(statements.map((sql) => prefix + sql));
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
