import { spawn } from "node:child_process";
import path from "node:path";
import { startAwsSecretsManagerEmulator, type AwsEmulator } from "@bruin-ts/secrets-emulators";
import { REPO_ROOT } from "./run-cli.js";

export const AWS_ACCESS_KEY_ID = "AKIACLITEST000000001";
export const AWS_SECRET_ACCESS_KEY = "cli-AWS-secret-KEY-marker-9b7e/Zq";
export const AWS_SESSION_TOKEN = "cli-AWS-session-TOKEN-marker-3c1d";

/**
 * An AWS Secrets Manager in eu-west-1 holding `secrets` (name → SecretString;
 * an object is stored as its JSON). The key may not read `locked`; a second
 * key (`AKIACLITEMPORARY0001`) needs AWS_SESSION_TOKEN.
 */
export async function awsWith(secrets: Record<string, unknown>): Promise<AwsEmulator> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets))
    strings[name] = typeof value === "string" ? value : JSON.stringify(value);
  return startAwsSecretsManagerEmulator({
    seed: {
      credentials: [
        { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY, deny: ["locked"] },
        {
          accessKeyId: "AKIACLITEMPORARY0001",
          secretAccessKey: AWS_SECRET_ACCESS_KEY,
          sessionToken: AWS_SESSION_TOKEN,
        },
      ],
      secrets: strings,
      region: "eu-west-1",
    },
  });
}

/** The variables a user exports to point bruin at the emulator. */
export function awsEnv(emulator: AwsEmulator, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_SECRETS_BACKEND: "aws",
    BRUIN_AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY_ID,
    BRUIN_AWS_SECRET_ACCESS_KEY: AWS_SECRET_ACCESS_KEY,
    BRUIN_AWS_REGION: "eu-west-1",
    BRUIN_AWS_ENDPOINT_URL: emulator.url,
    ...extra,
  };
}

/**
 * Runs the built CLI (`pnpm build` first) in a child process whose whole
 * environment is PATH and `env`: for what the AWS SDK reads from the process
 * itself (its default credential chain) and for bin.ts's process set-up.
 */
export function runBuiltBruin(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js"), ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
