import {
  startDopplerEmulator,
  startVaultEmulator,
  type DopplerEmulator,
  type VaultEmulator,
} from "@bruin-ts/secrets-emulators";

export const VAULT_TOKEN = "hvs.CLI-vault-TOKEN-marker-5e0c";
export const DOPPLER_TOKEN = "dp.st.prd.CLI-doppler-TOKEN-marker-a41f";

/** A Vault with KV v2 at `secret`, the connections under `bruin/`, and `bruin/locked/*` denied to the token. */
export async function vaultWith(connections: Record<string, unknown>): Promise<VaultEmulator> {
  const secrets: Record<string, Record<string, unknown>> = { "bruin/locked/x": {} };
  for (const [name, value] of Object.entries(connections))
    secrets[`bruin/${name}`] = (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>;
  return startVaultEmulator({
    seed: { tokens: [{ token: VAULT_TOKEN, deny: ["bruin/locked"] }], mounts: { secret: secrets } },
  });
}

/** The variables a user exports to point bruin at the Vault emulator (short retry waits). */
export function vaultEnv(emulator: VaultEmulator, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_SECRETS_BACKEND: "vault",
    BRUIN_VAULT_HOST: emulator.url,
    BRUIN_VAULT_TOKEN: VAULT_TOKEN,
    BRUIN_VAULT_MOUNT_PATH: "secret",
    BRUIN_VAULT_PATH: "bruin",
    BRUIN_VAULT_RETRY_WAIT_MIN: "20ms",
    BRUIN_VAULT_RETRY_WAIT_MAX: "100ms",
    ...extra,
  };
}

/** A Doppler project `app` whose config `prd` holds `secrets`; the token may read only that config. */
export async function dopplerWith(secrets: Record<string, string>): Promise<DopplerEmulator> {
  return startDopplerEmulator({
    seed: {
      tokens: { [DOPPLER_TOKEN]: { project: "app", config: "prd" } },
      projects: { app: { prd: secrets, dev: {} } },
    },
  });
}

export function dopplerEnv(emulator: DopplerEmulator, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_SECRETS_BACKEND: "doppler",
    BRUIN_DOPPLER_TOKEN: DOPPLER_TOKEN,
    BRUIN_DOPPLER_PROJECT: "app",
    BRUIN_DOPPLER_CONFIG: "prd",
    BRUIN_DOPPLER_API_URL: emulator.url,
    ...extra,
  };
}
