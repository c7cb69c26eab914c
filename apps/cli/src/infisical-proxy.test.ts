/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY: the built CLI (`pnpm build` first)
 * reaches an Infisical emulator served over HTTPS through a local CONNECT
 * proxy, trusting the emulator's private CA through NODE_EXTRA_CA_CERTS.
 * The proxy logs the request line of everything it is asked: only tunnels,
 * never a token, a client secret or a request path.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import {
  makeTestCertificates,
  startConnectProxy,
  startEmulator,
  type ConnectProxy,
  type Emulator,
  type TestCertificates,
} from "@bruin-ts/infisical-emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SECRET, duckdbSecret, infisicalEnv, infisicalPipeline, seedWith } from "./test-support/infisical.js";
import { REPO_ROOT } from "./test-support/run-cli.js";

const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");

function runBin(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
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

let certificates: TestCertificates;
let emulator: Emulator;
let proxy: ConnectProxy;
beforeAll(async () => {
  certificates = await makeTestCertificates();
  emulator = await startEmulator({ seed: seedWith({}), tls: certificates.valid });
  proxy = await startConnectProxy();
}, 30_000);
afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
  await certificates?.remove();
});
afterEach(() => {
  proxy.requestLines.length = 0;
  emulator.resetCounters();
});

/** A one-asset pipeline whose connection `wh` lives in the emulator. */
function pipelineWithSecret() {
  const pipeline = infisicalPipeline(["wh"]);
  emulator.setSecret("proj-cli", "dev", "/", "wh", duckdbSecret(pipeline.dbFile("wh")));
  return pipeline;
}

function expectNothingSecretIn(text: string): void {
  expect(text).not.toContain(CLIENT_SECRET);
  for (const token of emulator.issuedTokens()) expect(text).not.toContain(token);
  expect(text).not.toContain("/api/");
}

describe("through a CONNECT proxy, over HTTPS", () => {
  it.each(["HTTPS_PROXY", "https_proxy"])(
    "%s: every request to Infisical goes through the proxy's tunnel",
    async (variable) => {
      const pipeline = pipelineWithSecret();
      const result = await runBin(["run", pipeline.dir], {
        ...infisicalEnv(emulator),
        [variable]: proxy.url,
        NODE_EXTRA_CA_CERTS: certificates.caFile,
      });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(emulator.counters).toMatchObject({ login: 1, getSecret: 1, failed: 0 });
      const target = new URL(emulator.url).host;
      expect(proxy.requestLines.length).toBeGreaterThanOrEqual(1);
      for (const line of proxy.requestLines) expect(line).toBe(`CONNECT ${target} HTTP/1.1`);
      // What a proxy operator could log: no token, no client secret, no path.
      expectNothingSecretIn(proxy.requestLines.join("\n"));
      expectNothingSecretIn(result.stdout + result.stderr);
    },
    20_000,
  );

  it("NO_PROXY: a listed host is reached directly, the proxy sees nothing", async () => {
    const pipeline = pipelineWithSecret();
    const result = await runBin(["run", pipeline.dir], {
      ...infisicalEnv(emulator),
      HTTPS_PROXY: proxy.url,
      NO_PROXY: "example.com,127.0.0.1",
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(emulator.counters).toMatchObject({ login: 1, getSecret: 1 });
    expect(proxy.requestLines).toEqual([]);
  }, 20_000);

  it("a proxy that is down stops the run: the requests really depend on it", async () => {
    const down = await startConnectProxy();
    await down.stop();
    const pipeline = pipelineWithSecret();
    const started = Date.now();
    const result = await runBin(["run", pipeline.dir], {
      ...infisicalEnv(emulator, { BRUIN_INFISICAL_TIMEOUT: "2" }),
      HTTPS_PROXY: down.url,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
    });
    expect(result.code).toBe(3);
    // Within the 2 s deadline and a little: the CLI does not wait for the SDK's own retries to give up.
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(emulator.counters.total).toBe(0);
    expect(result.stderr).toContain("failed to authenticate with Infisical: could not reach");
    expectNothingSecretIn(result.stdout + result.stderr);
  }, 20_000);
});
