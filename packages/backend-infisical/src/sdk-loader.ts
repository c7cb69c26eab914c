/**
 * Loads `@infisical/sdk` on first use only, so runs that never touch
 * Infisical never pay for it (it pulls in the AWS credential providers).
 *
 * The AWS SDK it bundles announces, on Node < 22, that future versions will
 * need a newer Node (`NodeVersionSupportWarning`, from `@aws-sdk/core`'s
 * `emitWarningIfUnsupportedVersion`): exactly that warning is dropped while
 * the SDK loads (see secrets-core's `withoutNodeVersionWarning`).
 */
import { withoutNodeVersionWarning } from "@bruin-ts/secrets-core";
import type { InfisicalSDK } from "@infisical/sdk";

export type InfisicalSdkModule = typeof import("@infisical/sdk");
export type InfisicalSdkClient = InfisicalSDK;

let loading: Promise<InfisicalSdkModule> | undefined;

export function loadInfisicalSdk(): Promise<InfisicalSdkModule> {
  loading ??= withoutNodeVersionWarning(() => import("@infisical/sdk"));
  // A failed load (a broken install) may be retried by a later call.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
