import { existsSync } from "node:fs";
import Module, { createRequire } from "node:module";
import type { InfisicalSdkModule } from "../sdk-loader.js";

// The root vitest config resolves with the `module` condition, which Node
// also applies inside test workers: the AWS packages the SDK imports then
// resolve to their `dist-es` builds, whose extension-less imports Node cannot
// load, so `import("@infisical/sdk")` fails there (not in a plain `node`
// process, where the backend's own lazy import is tested in a child process).
// In-process tests load the SDK's CommonJS build instead, with each AWS
// `dist-es` entry swapped for its `dist-cjs` twin. The SDK code is unchanged.

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const internals = Module as unknown as { _resolveFilename: ResolveFilename; __bruinDistCjs?: boolean };
const AWS_DIST_ES = /([\\/]node_modules[\\/]@(?:smithy|aws-sdk|aws-crypto)[\\/][^\\/]+[\\/])dist-es([\\/])/;

export async function loadSdkForTests(): Promise<InfisicalSdkModule> {
  if (!internals.__bruinDistCjs) {
    const original = internals._resolveFilename;
    internals._resolveFilename = function resolveToCommonJs(this: unknown, request, parent, isMain, options) {
      const resolved = original.call(this, request, parent, isMain, options);
      if (!AWS_DIST_ES.test(resolved)) return resolved;
      const twin = resolved.replace(AWS_DIST_ES, "$1dist-cjs$2");
      return existsSync(twin) ? twin : resolved;
    };
    internals.__bruinDistCjs = true;
  }
  return createRequire(import.meta.url)("@infisical/sdk") as InfisicalSdkModule;
}
