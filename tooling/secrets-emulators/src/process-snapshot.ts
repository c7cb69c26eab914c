/**
 * What a library may not change in the process that uses it: every global
 * (each read through its getter: Node defines some lazily), `fetch` and
 * `Promise` among them, `process.emitWarning`, `process.env` and the
 * process's listeners. Tests take a snapshot before importing and using a
 * backend and compare one taken afterwards with `processChanges`.
 */
export interface ProcessSnapshot {
  readonly globals: ReadonlyMap<string, unknown>;
  readonly emitWarning: unknown;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly listeners: ReadonlyMap<string | symbol, readonly unknown[]>;
}

export function snapshotProcess(): ProcessSnapshot {
  return {
    globals: new Map(
      Object.getOwnPropertyNames(globalThis).map((name) => [name, (globalThis as Record<string, unknown>)[name]]),
    ),
    emitWarning: process.emitWarning,
    env: { ...process.env },
    listeners: new Map(process.eventNames().map((event) => [event, [...process.listeners(event as NodeJS.Signals)]])),
  };
}

/**
 * What changed between two snapshots, one line each: a global added or
 * replaced, `process.emitWarning` replaced, a variable of `process.env`
 * added, changed or removed (named, its value never shown), a listener
 * added or removed. `allowAdded` names globals a dependency is known to add.
 */
export function processChanges(
  before: ProcessSnapshot,
  after: ProcessSnapshot,
  options: { allowAdded?: readonly string[] } = {},
): string[] {
  const changes: string[] = [];
  for (const name of after.globals.keys()) {
    if (!before.globals.has(name) && !options.allowAdded?.includes(name)) changes.push(`global added: ${name}`);
  }
  for (const [name, value] of before.globals) {
    if (!after.globals.has(name)) changes.push(`global removed: ${name}`);
    else if (!Object.is(after.globals.get(name), value)) changes.push(`global replaced: ${name}`);
  }
  if (after.emitWarning !== before.emitWarning) changes.push("process.emitWarning replaced");
  for (const name of new Set([...Object.keys(before.env), ...Object.keys(after.env)])) {
    if (before.env[name] !== after.env[name]) changes.push(`process.env changed: ${name}`);
  }
  for (const event of new Set([...before.listeners.keys(), ...after.listeners.keys()])) {
    const was = before.listeners.get(event) ?? [];
    const is = after.listeners.get(event) ?? [];
    if (was.length !== is.length || was.some((listener, i) => listener !== is[i])) {
      changes.push(`listeners changed: ${String(event)}`);
    }
  }
  return changes;
}
