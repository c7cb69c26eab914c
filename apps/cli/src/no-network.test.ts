/**
 * With every override pointing at local emulators, no backend tries to reach
 * its real cloud service: the built CLI runs in child processes (`pnpm build`
 * first) whose every outgoing connection attempt is recorded, before any name
 * is looked up, by a preload of the test's own; each must be to loopback.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { makeTestCertificates, type TestCertificates } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsEnv, awsWith } from "./test-support/aws.js";
import { azureEnv, azureWith } from "./test-support/azure.js";
import { duckdbSecret, emulatorWith, infisicalEnv, infisicalPipeline } from "./test-support/infisical.js";
import { REPO_ROOT } from "./test-support/run-cli.js";
import { dopplerEnv, dopplerWith, vaultEnv, vaultWith } from "./test-support/vault-doppler.js";

const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * Appends `host:port` of every socket connect (TCP and TLS; a Unix socket as `unix:path`) to `file`, with the
 * first frames of the stack that made it, so a failure shows which client tried to go where.
 */
function recorder(file: string): string {
  return `import net from "node:net";
import { appendFileSync } from "node:fs";
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let target;
  if (first !== null && typeof first === "object") {
    target = typeof first.path === "string" ? "unix:" + first.path : (first.host ?? "localhost") + ":" + first.port;
  } else {
    target = (typeof args[1] === "string" ? args[1] : "localhost") + ":" + first;
  }
  appendFileSync(${JSON.stringify(file)}, target + "\\t" + new Error().stack.split("\\n").slice(2, 9).join(" | ") + "\\n");
  return connect.apply(this, args);
};`;
}

interface Recorded {
  code: number | null;
  stderr: string;
  targets: string[];
}

function runRecorded(args: string[], env: Record<string, string | undefined>): Promise<Recorded> {
  const log = path.join(mkdtempSync(path.join(tmpdir(), "bruin-connects-")), "connects");
  const preload = `data:text/javascript,${encodeURIComponent(recorder(log))}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", preload, BIN, ...args], {
      // Nothing of the test machine's own environment but PATH: no proxy, no cloud profile.
      env: { PATH: process.env.PATH, HOME: mkdtempSync(path.join(tmpdir(), "bruin-home-")), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    child.on("error", reject);
    child.on("close", (code) => {
      const targets = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
      resolve({ code, stderr, targets });
    });
  });
}

/** The host of a recorded line (its connect target, then a tab and where the connect came from). */
function hostOf(line: string): string {
  const target = line.split("\t")[0]!;
  if (target.startsWith("unix:")) return target;
  return target.slice(0, target.lastIndexOf(":")).replace(/^\[|\]$/g, "");
}

let certificates: TestCertificates;
beforeAll(async () => {
  certificates = await makeTestCertificates();
}, 30_000);
afterAll(async () => {
  await certificates?.remove();
});

interface Case {
  backend: string;
  start(
    connections: Record<string, string>,
  ): Promise<{ env: Record<string, string | undefined>; stop(): Promise<void> }>;
}

const CASES: Case[] = [
  {
    backend: "infisical",
    start: async (connections) => {
      const emulator = await emulatorWith(connections);
      return { env: infisicalEnv(emulator), stop: () => emulator.stop() };
    },
  },
  {
    backend: "vault",
    start: async (connections) => {
      const emulator = await vaultWith(connections);
      return { env: vaultEnv(emulator), stop: () => emulator.stop() };
    },
  },
  {
    backend: "doppler",
    start: async (connections) => {
      const upper = Object.fromEntries(Object.entries(connections).map(([k, v]) => [k.toUpperCase(), v]));
      const emulator = await dopplerWith(upper);
      return { env: dopplerEnv(emulator), stop: () => emulator.stop() };
    },
  },
  {
    backend: "aws",
    start: async (connections) => {
      const emulator = await awsWith(connections);
      return { env: awsEnv(emulator), stop: () => emulator.stop() };
    },
  },
  {
    backend: "azure",
    start: async (connections) => {
      const emulator = await azureWith(certificates, connections);
      return {
        env: { ...azureEnv(emulator), NODE_EXTRA_CA_CERTS: certificates.caFile },
        stop: () => emulator.stop(),
      };
    },
  },
];

describe("no network beyond the emulators", () => {
  it.each(CASES.map((c) => [c.backend, c] as const))(
    "--secrets-backend %s: run and connections list connect to loopback only",
    async (_backend, testCase) => {
      const pipeline = infisicalPipeline(["wh"]);
      const service = await testCase.start({ wh: duckdbSecret(pipeline.dbFile("wh")) });
      try {
        const run = await runRecorded(["run", pipeline.dir], service.env);
        expect(run.code, run.stderr).toBe(0);
        const list = await runRecorded(["connections", "list", "-o", "json"], service.env);
        expect(list.code, list.stderr).toBe(0);
        for (const result of [run, list]) {
          // The backend did talk to its service, so the recorder saw its connections…
          expect(result.targets.length).toBeGreaterThan(0);
          // …and every one of them went to loopback, where the emulator listens.
          expect(result.targets.map(hostOf).filter((host) => !LOOPBACK.has(host))).toEqual([]);
        }
      } finally {
        await service.stop();
      }
    },
    60_000,
  );

  it("the recorder does see a cloud host: without BRUIN_INFISICAL_HOST, Infisical Cloud is tried", async () => {
    const pipeline = infisicalPipeline(["wh"]);
    const emulator = await emulatorWith({ wh: duckdbSecret(pipeline.dbFile("wh")) });
    try {
      const env = { ...infisicalEnv(emulator), BRUIN_INFISICAL_HOST: undefined, BRUIN_INFISICAL_TIMEOUT: "2" };
      const result = await runRecorded(["run", pipeline.dir], env);
      expect(result.code).toBe(3);
      expect(result.targets.map(hostOf)).toContain("app.infisical.com");
    } finally {
      await emulator.stop();
    }
  }, 60_000);
});
