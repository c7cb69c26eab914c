import type { ConnectionAdapter } from "@bruin-ts/connections";

/**
 * Wraps a real adapter and records what it is asked to run, in the format of
 * `fakeAdapter`: `exec: ...`, `query: ...`, and a transaction as `BEGIN`, its
 * statements, then `COMMIT` or (when the server refused it) `ROLLBACK`.
 * Everything still runs on the server.
 */
export function recordingAdapter(real: ConnectionAdapter): { adapter: ConnectionAdapter; log: string[] } {
  const log: string[] = [];
  const adapter: ConnectionAdapter = {
    name: real.name,
    type: real.type,
    dialect: real.dialect,
    query: (sql) => {
      log.push(`query: ${sql}`);
      return real.query(sql);
    },
    exec: (sql) => {
      log.push(`exec: ${sql}`);
      return real.exec(sql);
    },
    transaction: async (statements) => {
      log.push("BEGIN", ...statements);
      try {
        await real.transaction(statements);
      } catch (error) {
        log.push("ROLLBACK");
        throw error;
      }
      log.push("COMMIT");
    },
    ping: () => real.ping(),
    close: () => real.close(),
  };
  return { adapter, log };
}
