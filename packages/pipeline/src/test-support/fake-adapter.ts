import { dialectFor, type ConnectionAdapter, type ConnectionType } from "@bruin-ts/connections";

export interface FakeAdapterOptions {
  /** What information_schema says about the target table. */
  tableExists?: boolean;
  /** The columns the `WHERE 1 = 0` probe of the query returns. */
  columns?: string[];
  /** Statements containing this text throw. */
  failOn?: string;
}

/**
 * An adapter with a real dialect that records every statement instead of
 * running it: `exec: ...`, `query: ...`, and `transaction` as `BEGIN`, the
 * statements, `COMMIT` (or `ROLLBACK` when one fails).
 */
export function fakeAdapter(type: ConnectionType, options: FakeAdapterOptions = {}) {
  const log: string[] = [];
  const check = (sql: string) => {
    if (options.failOn && sql.includes(options.failOn)) throw new Error(`failed: ${options.failOn}`);
  };
  const adapter: ConnectionAdapter = {
    name: "fake",
    type,
    dialect: dialectFor(type),
    async query(sql) {
      log.push(`query: ${sql}`);
      check(sql);
      if (sql.includes("information_schema.tables"))
        return { columns: ["n"], rows: [{ n: options.tableExists ? 1 : 0 }] };
      if (sql.includes("WHERE 1 = 0")) return { columns: options.columns ?? [], rows: [] };
      return { columns: ["violations"], rows: [{ violations: 0 }] };
    },
    async exec(sql) {
      log.push(`exec: ${sql}`);
      check(sql);
    },
    async transaction(statements) {
      log.push("BEGIN");
      try {
        for (const s of statements) {
          log.push(s);
          check(s);
        }
      } catch (error) {
        log.push("ROLLBACK");
        throw error;
      }
      log.push("COMMIT");
    },
    ping: async () => undefined,
    close: async () => undefined,
  };
  return { adapter, log };
}

/** Replaces the random suffix of scratch tables so statements can be compared exactly. */
export function stableNames(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/__bruin_(tmp|old)_[0-9a-f]{12}/g, "__bruin_$1_X"));
}
