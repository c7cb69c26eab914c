import { execFile, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { TestCertificates } from "@bruin-ts/infisical-emulator";
import { startAzureEmulator, type AzureEmulator } from "@bruin-ts/secrets-emulators";
import { REPO_ROOT, type CliResult } from "./run-cli.js";

export const AZURE_TENANT = "7c0ffee0-0000-4000-8000-00000000c11e";
export const AZURE_CLIENT_ID = "bruin-cli-app";
export const AZURE_CLIENT_SECRET = "cli-AZURE-client-SECRET~marker-61d";

const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

/**
 * A Key Vault over HTTPS (a certificate of `certificates`' CA) holding each
 * connection as a secret, named as Key Vault names it (`_` as `-`); the app
 * may not read `locked`.
 */
export function azureWith(
  certificates: TestCertificates,
  connections: Record<string, unknown>,
  tls: { key: string; cert: string } = certificates.valid,
): Promise<AzureEmulator> {
  const secrets: Record<string, string> = { locked: "{}" };
  for (const [name, value] of Object.entries(connections)) {
    secrets[name.replaceAll("_", "-")] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return startAzureEmulator({
    seed: {
      tenant: AZURE_TENANT,
      clients: [{ clientId: AZURE_CLIENT_ID, clientSecret: AZURE_CLIENT_SECRET, deny: ["locked"] }],
      secrets,
    },
    tls,
  });
}

/**
 * A certificate of the test CA for `localhost` and 127.0.0.1. A CONNECT
 * tunnel made by https-proxy-agent (the Azure SDK's) checks the certificate
 * against the host name it was given, and `localhost` for an IP address.
 */
export async function localhostCertificate(certificates: TestCertificates): Promise<{ key: string; cert: string }> {
  const run = promisify(execFile);
  const file = (name: string) => path.join(certificates.dir, name);
  await run("openssl", [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    file("localhost.key"),
    "-out",
    file("localhost.csr"),
    "-subj",
    "/CN=localhost",
  ]);
  await writeFile(file("localhost.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    file("localhost.csr"),
    "-CA",
    certificates.caFile,
    "-CAkey",
    file("ca.key"),
    "-set_serial",
    String(Date.now()),
    "-out",
    file("localhost.pem"),
    "-days",
    "2",
    "-extfile",
    file("localhost.ext"),
  ]);
  return { key: await readFile(file("localhost.key"), "utf8"), cert: await readFile(file("localhost.pem"), "utf8") };
}

/** The variables a user exports to point bruin at the emulator, which is both the vault and the authority. */
export function azureEnv(emulator: AzureEmulator, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_SECRETS_BACKEND: "azure",
    BRUIN_AZURE_KEYVAULT_URL: emulator.url,
    BRUIN_AZURE_AUTH_METHOD: "client_credentials",
    BRUIN_AZURE_TENANT_ID: AZURE_TENANT,
    BRUIN_AZURE_CLIENT_ID: AZURE_CLIENT_ID,
    BRUIN_AZURE_CLIENT_SECRET: AZURE_CLIENT_SECRET,
    BRUIN_AZURE_AUTHORITY_HOST: emulator.url,
    ...extra,
  };
}

/**
 * Runs the built CLI (`pnpm build` first) in a child process trusting the
 * emulator's CA through NODE_EXTRA_CA_CERTS, as a user with a private CA
 * would: the Azure SDK sends its bearer tokens over HTTPS only.
 */
export function runBuiltBruin(
  args: string[],
  certificates: TestCertificates,
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certificates.caFile, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, all: stdout + stderr }));
  });
}
