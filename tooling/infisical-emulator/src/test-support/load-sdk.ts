import { existsSync } from "node:fs";
import Module, { createRequire } from "node:module";

// The root vitest config passes `--conditions module` to test workers (so
// workspace packages resolve to source). With it, Node resolves the AWS
// packages the SDK imports to their `dist-es` builds, whose extension-less
// imports Node cannot load, and importing `@infisical/sdk` fails. Here the
// SDK's CommonJS build is loaded instead, and any `dist-es` entry file those
// packages resolve to is swapped for its `dist-cjs` twin. The SDK code
// under test is the published one, unchanged.

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };
const AWS_DIST_ES = /([\\/]node_modules[\\/]@(?:smithy|aws-sdk|aws-crypto)[\\/][^\\/]+[\\/])dist-es([\\/])/;

if (!(moduleInternals as { __infisicalEmulatorPatched?: boolean }).__infisicalEmulatorPatched) {
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolveToCommonJs(this: unknown, request, parent, isMain, options) {
    const resolved = original.call(this, request, parent, isMain, options);
    if (!AWS_DIST_ES.test(resolved)) return resolved;
    const twin = resolved.replace(AWS_DIST_ES, "$1dist-cjs$2");
    return existsSync(twin) ? twin : resolved;
  };
  (moduleInternals as { __infisicalEmulatorPatched?: boolean }).__infisicalEmulatorPatched = true;
}

const sdkModule = createRequire(import.meta.url)("@infisical/sdk") as typeof import("@infisical/sdk");

export const InfisicalSDK = sdkModule.InfisicalSDK;
export type InfisicalSDK = import("@infisical/sdk").InfisicalSDK;
