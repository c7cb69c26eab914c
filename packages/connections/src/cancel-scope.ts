import { AsyncLocalStorage } from "node:async_hooks";

const scopes = new AsyncLocalStorage<object>();

/**
 * Runs `task` with the statements it starts marked as belonging to `scope`:
 * `adapter.cancel(scope)` then stops those and leaves the statements of other
 * tasks on the same connection running, on engines that can tell them apart.
 */
export function inCancelScope<T>(scope: object, task: () => Promise<T>): Promise<T> {
  return scopes.run(scope, task);
}

/** The scope the calling code runs in (see inCancelScope), if any. */
export function currentCancelScope(): object | undefined {
  return scopes.getStore();
}
