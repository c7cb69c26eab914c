/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the aws backend, whose SDK talks
 * over node:http(s) and so is not reached by the process's fetch dispatcher:
 * the built CLI (`pnpm build` first) passes it a proxy agent. The emulator is
 * plain http here, so HTTP_PROXY applies; the proxy only tunnels (CONNECT) and
 * logs its request lines, which must hold no key, signature or path.
 */
import { startConnectProxy, type ConnectProxy } from "@bruin-ts/infisical-emulator";
import type { AwsEmulator } from "@bruin-ts/secrets-emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AWS_SECRET_ACCESS_KEY, awsEnv, awsWith, runBuiltBruin as runBin } from "./test-support/aws.js";
import { duckdbSecret, infisicalPipeline } from "./test-support/infisical.js";

let proxy: ConnectProxy;
let emulator: AwsEmulator | undefined;
beforeAll(async () => {
  proxy = await startConnectProxy();
});
afterAll(async () => {
  await proxy?.stop();
});
afterEach(async () => {
  proxy.requestLines.length = 0;
  await emulator?.stop();
  emulator = undefined;
});

async function pipelineWithSecret() {
  const pipeline = infisicalPipeline(["wh"]);
  emulator = await awsWith({ wh: duckdbSecret(pipeline.dbFile("wh")) });
  return pipeline;
}

describe("the aws backend through a CONNECT proxy", () => {
  it.each(["HTTP_PROXY", "http_proxy"])(
    "%s: every request goes through the proxy's tunnel",
    async (variable) => {
      const pipeline = await pipelineWithSecret();
      const result = await runBin(["run", pipeline.dir], { ...awsEnv(emulator!), [variable]: proxy.url });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(emulator!.count("GetSecretValue")).toBe(1);
      const target = new URL(emulator!.url).host;
      expect(proxy.requestLines.length).toBeGreaterThanOrEqual(1);
      for (const line of proxy.requestLines) expect(line).toBe(`CONNECT ${target} HTTP/1.1`);
      expect(proxy.requestLines.join("\n") + result.stdout).not.toContain(AWS_SECRET_ACCESS_KEY);
    },
    20_000,
  );

  it("NO_PROXY: a listed host is reached directly, the proxy sees nothing", async () => {
    const pipeline = await pipelineWithSecret();
    const result = await runBin(["run", pipeline.dir], {
      ...awsEnv(emulator!),
      HTTP_PROXY: proxy.url,
      NO_PROXY: "example.com,127.0.0.1",
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(emulator!.count("GetSecretValue")).toBe(1);
    expect(proxy.requestLines).toEqual([]);
  }, 20_000);

  it("a proxy that is down stops the run: the requests really depend on it", async () => {
    const down = await startConnectProxy();
    await down.stop();
    const pipeline = await pipelineWithSecret();
    const result = await runBin(["run", pipeline.dir], { ...awsEnv(emulator!), HTTP_PROXY: down.url });
    expect(result.code).toBe(3);
    expect(emulator!.count("total")).toBe(0);
    expect(result.stderr).toContain("failed to read secret 'wh' from AWS Secrets Manager: could not reach");
    expect(result.stderr + result.stdout).not.toContain(AWS_SECRET_ACCESS_KEY);
  }, 30_000);
});
