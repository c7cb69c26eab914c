/**
 * Loads `@infisical/sdk` on first use only, so runs that never touch
 * Infisical never pay for it (it pulls in the AWS credential providers).
 *
 * The AWS SDK it bundles announces, on Node < 22, that future versions will
 * need a newer Node (`NodeVersionSupportWarning`, sent through
 * `process.emitWarning` by `@aws-sdk/core`'s `emitWarningIfUnsupportedVersion`).
 * That notice is about AWS, not about anything a bruin user can act on, so
 * exactly that warning is dropped while the SDK loads; every other warning
 * passes through untouched. The `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED`
 * variable would also silence it, but setting it would change the process
 * environment for everything else running in it.
 *
 * This file imports nothing at runtime but the SDK itself (tests run it in a
 * child process on its own).
 */
import type { InfisicalSDK } from "@infisical/sdk";

export type InfisicalSdkModule = typeof import("@infisical/sdk");
export type InfisicalSdkClient = InfisicalSDK;

const SUPPRESSED_WARNING = "NodeVersionSupportWarning";

let loading: Promise<InfisicalSdkModule> | undefined;

export function loadInfisicalSdk(): Promise<InfisicalSdkModule> {
  loading ??= withoutNodeVersionWarning(() => import("@infisical/sdk"));
  // A failed load (a broken install) may be retried by a later call.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Runs `load` with `NodeVersionSupportWarning` filtered out of `process.emitWarning`. */
export async function withoutNodeVersionWarning<T>(load: () => Promise<T>): Promise<T> {
  const original = process.emitWarning;
  const filtered = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    if (isNodeVersionWarning(warning, rest)) return;
    return (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  process.emitWarning = filtered;
  try {
    return await load();
  } finally {
    // Someone else may have wrapped emitWarning meanwhile; only undo our own wrapper.
    if (process.emitWarning === filtered) process.emitWarning = original;
  }
}

function isNodeVersionWarning(warning: string | Error, rest: unknown[]): boolean {
  const text = typeof warning === "string" ? warning : `${warning.name}: ${warning.message}`;
  if (text.startsWith(SUPPRESSED_WARNING)) return true;
  // emitWarning(message, type) and emitWarning(message, { type }) name the type separately.
  const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
  return type === SUPPRESSED_WARNING;
}
