/**
 * tedious 20 (the SQL Server driver under mssql 12) calls
 * `Promise.withResolvers`, which Node gained in version 22; on Node 20 every
 * connection attempt would fail with "Promise.withResolvers is not a
 * function". The mssql adapter installs this standard-conforming fallback
 * before its first connection. It changes nothing where Node has the method.
 */
export function ensurePromiseWithResolvers(): void {
  const promise = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (typeof promise.withResolvers === "function") return;
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const created = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise: created, resolve, reject };
    },
  });
}
