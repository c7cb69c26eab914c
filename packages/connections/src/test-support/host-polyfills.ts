/**
 * What an application embedding this package on Node 20 installs for SQL
 * Server (tedious 20 calls `Promise.withResolvers`): the package itself
 * changes no global, so tests that open mssql connections act as that host.
 * Returns the function that removes it again.
 */
export function installPromiseWithResolvers(): () => void {
  const promise = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (typeof promise.withResolvers === "function") return () => undefined;
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
  return () => {
    delete (Promise as { withResolvers?: unknown }).withResolvers;
  };
}
