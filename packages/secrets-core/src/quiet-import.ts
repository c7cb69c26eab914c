/**
 * Some drivers and SDKs bundle the AWS SDK (snowflake-sdk and @infisical/sdk
 * do), which announces on
 * Node < 22 that future versions will need a newer Node
 * (`NodeVersionSupportWarning`, sent through `process.emitWarning` while the
 * module loads). That notice is about AWS, not about anything a bruin user
 * can act on, so exactly that warning is dropped while such a module loads;
 * every other warning passes through untouched. Setting
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED` would also silence it,
 * but would change the environment of everything else in the process.
 */

const SUPPRESSED_WARNING = "NodeVersionSupportWarning";

/** Runs `load` with `NodeVersionSupportWarning` filtered out of `process.emitWarning`. */
export async function withoutNodeVersionWarning<T>(load: () => Promise<T>): Promise<T> {
  const restore = filterNodeVersionWarning();
  try {
    return await load();
  } finally {
    restore();
  }
}

/** The same for a synchronous load, such as `require()`. */
export function withoutNodeVersionWarningSync<T>(load: () => T): T {
  const restore = filterNodeVersionWarning();
  try {
    return load();
  } finally {
    restore();
  }
}

/** Wraps `process.emitWarning`; returns the function that undoes it. */
function filterNodeVersionWarning(): () => void {
  const original = process.emitWarning;
  const filtered = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    if (isNodeVersionWarning(warning, rest)) return;
    return (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  process.emitWarning = filtered;
  return () => {
    // Someone else may have wrapped emitWarning meanwhile; only undo our own wrapper.
    if (process.emitWarning === filtered) process.emitWarning = original;
  };
}

export function isNodeVersionWarning(warning: string | Error, rest: unknown[] = []): boolean {
  const text = typeof warning === "string" ? warning : `${warning.name}: ${warning.message}`;
  if (text.startsWith(SUPPRESSED_WARNING)) return true;
  // emitWarning(message, type) and emitWarning(message, { type }) name the type separately.
  const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
  return type === SUPPRESSED_WARNING;
}
