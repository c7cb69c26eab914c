// Secret resolution through the Infisical backend against the emulator with
// a fixed latency on every request, next to the plain SDK used by hand.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@bruin-ts/infisical-emulator";
import { formatMs, median } from "../stats.mjs";
import { ENVIRONMENT, IDENTITY, PROJECT_ID, benchSeed } from "./seed.mjs";

const CHILD = fileURLToPath(new URL("./resolve-once.mjs", import.meta.url));

/**
 * For each added latency and K: the median wall time of the first resolution
 * in a fresh process (cold: the SDK's load is part of it), of a second one in
 * the same process (warm), and of login + getSecret one after another through
 * @infisical/sdk. Target: at most 2 round trips + 150 ms.
 */
export async function benchSecretResolution({ ks = [1, 10, 50], runs = 5, latencies = [50, 250] } = {}) {
  const rows = [];
  for (const latencyMs of latencies) rows.push(...(await atLatency({ ks, runs, latencyMs })));
  return rows;
}

async function atLatency({ ks, runs, latencyMs }) {
  const emulator = await startEmulator({ seed: benchSeed(), latencyMs });
  const rows = [];
  try {
    for (const k of ks) {
      const cold = [];
      const warm = [];
      const sdk = [];
      let coldRequests;
      let warmRequests;
      let sdkRequests;
      for (let run = 0; run < runs; run++) {
        const bruin = await measureChild(emulator, "bruin", k);
        cold.push(bruin.cold.ms);
        warm.push(bruin.warm.ms);
        coldRequests = bruin.cold.requests;
        warmRequests = bruin.warm.requests;
        const plain = await measureChild(emulator, "sdk", k);
        sdk.push(plain.warm.ms);
        sdkRequests = plain.warm.requests;
      }
      const target = 2 * latencyMs + 150;
      rows.push(
        row(`+${latencyMs} ms, K=${k}, bruin, fresh process`, median(cold), coldRequests, k, target),
        row(`+${latencyMs} ms, K=${k}, bruin, SDK already loaded`, median(warm), warmRequests, k, target),
        row(`+${latencyMs} ms, K=${k}, @infisical/sdk by hand`, median(sdk), sdkRequests, k, undefined),
      );
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}

function row(figure, ms, requests, k, targetMs) {
  const requestsOk = requests.login <= 1 && requests.renew === 0 && requests.getSecret + requests.listSecrets <= k;
  return {
    figure,
    value: `${formatMs(ms)}; ${describeRequests(requests)}`,
    target: targetMs === undefined ? "baseline" : `≤ ${targetMs} ms; ≤ 1 login + ${k} read${k === 1 ? "" : "s"}`,
    met: targetMs === undefined ? undefined : ms <= targetMs && requestsOk,
    ms,
    requests,
  };
}

function describeRequests({ login, renew, getSecret, listSecrets }) {
  const parts = [`${login} login`, `${getSecret} get`];
  if (listSecrets > 0) parts.push(`${listSecrets} list`);
  if (renew > 0) parts.push(`${renew} renew`);
  return parts.join(" + ");
}

/** Runs one child; returns each phase's time and the requests the emulator saw during it. */
async function measureChild(emulator, mode, k) {
  const args = [
    CHILD,
    mode,
    String(k),
    emulator.url,
    IDENTITY.clientId,
    IDENTITY.clientSecret,
    PROJECT_ID,
    ENVIRONMENT,
  ];
  // As bin.ts does for `bruin`: the AWS SDK's Node-version notice is not part of the measurement.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  emulator.resetCounters();
  const phases = {};
  for await (const line of createInterface({ input: child.stdout })) {
    const { phase, ms } = JSON.parse(line);
    phases[phase] = { ms, requests: { ...emulator.counters } };
    emulator.resetCounters();
    if (phase === "cold") child.stdin.write("next\n");
  }
  const code = await exited;
  if (code !== 0) throw new Error(`secret resolution bench (${mode}, K=${k}) exited with code ${code}`);
  return phases;
}
