/**
 * Without BRUIN_AWS_ACCESS_KEY_ID / BRUIN_AWS_SECRET_ACCESS_KEY the aws
 * backend leaves the credentials to the AWS SDK's default chain, which reads
 * the process's own environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN) and ~/.aws: so these run the built CLI (`pnpm build`
 * first) in a child process with a HOME of its own.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AwsEmulator } from "@bruin-ts/secrets-emulators";
import { afterEach, describe, expect, it } from "vitest";
import {
  AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY,
  AWS_SESSION_TOKEN,
  awsEnv,
  awsWith,
  runBuiltBruin,
} from "./test-support/aws.js";
import { duckdbSecret, infisicalPipeline } from "./test-support/infisical.js";

let emulator: AwsEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const PASSWORD = "default-chain-PG-password-MARKER-71";

/** The emulator's variables without the BRUIN_AWS_* keys, in an empty HOME (no ~/.aws). */
function chainEnv(e: AwsEmulator, extra: Record<string, string>) {
  return {
    ...awsEnv(e, { BRUIN_AWS_ACCESS_KEY_ID: undefined, BRUIN_AWS_SECRET_ACCESS_KEY: undefined }),
    HOME: mkdtempSync(path.join(tmpdir(), "bruin-aws-home-")),
    // The chain's last links (containers, EC2 instance metadata) must not be asked on a test machine.
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

describe("the aws backend with the SDK's default credential chain", () => {
  it("reads with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and masks the keys it found", async () => {
    const pipeline = infisicalPipeline(["wh", "warehouse"]);
    emulator = await awsWith({
      wh: duckdbSecret(pipeline.dbFile("wh")),
      warehouse: {
        type: "postgres",
        details: { host: "h", port: "abc", username: "u", password: PASSWORD, database: "d" },
      },
    });
    const env = chainEnv(emulator, {
      AWS_ACCESS_KEY_ID: "AKIACLITEMPORARY0001",
      AWS_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN,
    });
    const result = await runBuiltBruin(["run", pipeline.dir, "--verbose"], env);
    // wh is read; warehouse is read too and refused for its port, without printing a value or a key.
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("warehouse");
    expect(emulator.count("GetSecretValue")).toBe(2);
    const all = result.stdout + result.stderr;
    for (const secret of [AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, PASSWORD]) expect(all).not.toContain(secret);
  }, 20_000);

  it("a key the service refuses names the default chain in the hint", async () => {
    const pipeline = infisicalPipeline(["wh"]);
    emulator = await awsWith({ wh: duckdbSecret(pipeline.dbFile("wh")) });
    const result = await runBuiltBruin(
      ["run", pipeline.dir],
      chainEnv(emulator, { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: `${AWS_SECRET_ACCESS_KEY}-wrong` }),
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("the credentials were refused (InvalidSignatureException)");
    expect(result.stderr).toContain("the SDK's default chain");
    expect(result.stdout + result.stderr).not.toContain(`${AWS_SECRET_ACCESS_KEY}-wrong`);
  }, 20_000);

  it("no credentials anywhere is a configuration error, before any request", async () => {
    const pipeline = infisicalPipeline(["wh"]);
    emulator = await awsWith({});
    const result = await runBuiltBruin(["run", pipeline.dir], chainEnv(emulator, {}));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("no AWS credentials were found");
    expect(result.stderr).toContain("BRUIN_AWS_ACCESS_KEY_ID");
    expect(emulator.count("total")).toBe(0);
  }, 30_000);
});
