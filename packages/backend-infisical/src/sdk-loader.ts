/**
 * Loads `@infisical/sdk` on first use only, so runs that never touch
 * Infisical never pay for it.
 *
 * Load time matters: the first secret read of a run waits for it. The SDK
 * (5.0.2) imports, at top level, four packages it needs only for its AWS IAM
 * login (`@aws-sdk/credential-providers`, `@smithy/signature-v4`,
 * `@smithy/protocol-http`, `@aws-crypto/sha256-js`), and through the ESM
 * entry they cost about 100 ms of CPU on a fresh process, longer than the
 * login request they overlap with. We use Universal Auth only, so:
 *
 * - the SDK's CommonJS build is loaded (same code and types as the ESM one;
 *   CommonJS resolution of the AWS packages is also several times cheaper);
 * - while it loads, each of those four packages is stood in for by a lazy
 *   module in the require cache: the first property read loads the real
 *   package, so the SDK's AWS login still works, just on demand. The stand-ins
 *   are taken out of the cache as soon as the SDK has loaded, so nothing else
 *   in the process ever sees them. A package something else already loaded
 *   is used as it is.
 *
 * The AWS SDK announces, on Node < 22, that future versions will need a newer
 * Node (`NodeVersionSupportWarning`): exactly that warning is dropped while
 * the SDK or one of those packages loads (see secrets-core's
 * `withoutNodeVersionWarning`).
 */
import Module, { createRequire } from "node:module";
import { withoutNodeVersionWarning, withoutNodeVersionWarningSync } from "@bruin-ts/secrets-core";
import type { InfisicalSDK } from "@infisical/sdk";

export type InfisicalSdkModule = typeof import("@infisical/sdk");
export type InfisicalSdkClient = InfisicalSDK;

/** What the SDK imports at top level but uses only inside its AWS IAM login. */
export const AWS_ONLY_DEPENDENCIES = [
  "@aws-sdk/credential-providers",
  "@smithy/signature-v4",
  "@smithy/protocol-http",
  "@aws-crypto/sha256-js",
] as const;

const require = createRequire(import.meta.url);

let loading: Promise<InfisicalSdkModule> | undefined;

export function loadInfisicalSdk(): Promise<InfisicalSdkModule> {
  // Synchronous on purpose: the load runs now, while a login request travels (see backend.ts).
  loading ??= withoutNodeVersionWarning(async () => requireSdk());
  // A failed load (a broken install) may be retried by a later call.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** Requires the SDK's CommonJS build with its AWS-only dependencies deferred. */
function requireSdk(): InfisicalSdkModule {
  const sdkPath = require.resolve("@infisical/sdk");
  const fromSdk = createRequire(sdkPath);
  const cache = require.cache;
  const placed = new Map<string, NodeJS.Module>();
  for (const specifier of AWS_ONLY_DEPENDENCIES) {
    let file: string;
    try {
      file = fromSdk.resolve(specifier);
    } catch {
      // Not resolvable: let the SDK's own require report it as it would.
      continue;
    }
    if (cache[file]) continue;
    const standIn = lazyModule(file, () => {
      if (cache[file] === standIn) delete cache[file];
      return withoutNodeVersionWarningSync(() => fromSdk(specifier) as object);
    });
    cache[file] = standIn;
    placed.set(file, standIn);
  }
  try {
    return fromSdk(sdkPath) as InfisicalSdkModule;
  } finally {
    for (const [file, standIn] of placed) if (cache[file] === standIn) delete cache[file];
  }
}

/** A loaded module whose exports load `load()` on first use and forward to it. */
function lazyModule(file: string, load: () => object): NodeJS.Module {
  let real: object | undefined;
  const target = (): object => (real ??= load());
  const standIn = new Module(file) as NodeJS.Module;
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(target(), key),
      has: (_, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        // A proxy may only report a property as configurable unless its target holds it.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  return standIn;
}
