import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startEmulator, type Emulator } from "./index.js";
import { CLIENT_SECRET, PROJECT, failure, loginSdk, sdkStatus, seed } from "./test-support/fixtures.js";
import type { InfisicalSDK } from "./test-support/load-sdk.js";

let emu: Emulator;
let sdk: InfisicalSDK;
let token: string;
beforeEach(async () => {
  emu = await startEmulator({ seed: seed() });
  sdk = await loginSdk(emu.url);
  token = sdk.auth().getAccessToken() as string;
  emu.resetCounters();
  emu.requests.length = 0;
});
afterEach(async () => {
  await emu.stop();
});

const readUrl = () => `/api/v3/secrets/raw/API_KEY?workspaceId=${PROJECT}&environment=dev`;
const rawRead = () => fetch(`${emu.url}${readUrl()}`, { headers: { authorization: `Bearer ${token}` } });
const sdkRead = () => sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", secretName: "API_KEY" });

describe("injected faults", () => {
  it("answers 429 RateLimitExceeded naming the wait, with Retry-After", async () => {
    emu.inject({ match: "getSecret", status: 429, retryAfterSeconds: 7, count: 1 });
    const res = await rawRead();
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toMatchObject({
      statusCode: 429,
      error: "RateLimitExceeded",
      message: "Rate limit exceeded. Please try again in 7 seconds",
    });
    expect((await rawRead()).status).toBe(200);
  });

  it("answers 500 and 503, which the SDK does not retry", async () => {
    emu.inject({ match: "getSecret", status: 500, count: 1 });
    emu.inject({ match: "getSecret", status: 503, count: 1 });
    const first = await failure(sdkRead);
    expect(sdkStatus(first)).toBe(500);
    expect(first.message).toContain("Something went wrong");
    expect(sdkStatus(await failure(sdkRead))).toBe(503);
    expect((await sdkRead()).secretValue).toBe("dev-api-key");
    expect(emu.counters).toMatchObject({ getSecret: 3, total: 3, failed: 2 });
  });

  it("sends every fault status in the error body shape", async () => {
    for (const status of [502, 504] as const) {
      emu.inject({ status, count: 1 });
      const res = await rawRead();
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({
        statusCode: status,
        reqId: expect.any(String),
        error: expect.any(String),
        message: expect.any(String),
      });
    }
  });

  it("drops the connection without an answer", async () => {
    emu.inject({ match: "listSecrets", drop: true, count: 1 });
    await expect(
      fetch(`${emu.url}/api/v3/secrets/raw?workspaceId=${PROJECT}&environment=dev`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    ).rejects.toThrow();
    expect(emu.counters).toMatchObject({ listSecrets: 1, failed: 1 });
    expect(emu.requests).toEqual([{ method: "GET", path: "/api/v3/secrets/raw", status: 0, at: expect.any(Number) }]);
  });

  it("matches only the chosen endpoint kind, in injection order, until the count is used up", async () => {
    emu.inject({ match: "login", status: 503, count: 2 });
    emu.inject({ match: "any", status: 500, count: 1 });
    const read = await rawRead();
    expect(read.status).toBe(500); // the login rule does not match a read; the "any" rule does
    expect(sdkStatus(await failure(() => loginSdk(emu.url)))).toBe(503);
    expect(sdkStatus(await failure(() => loginSdk(emu.url)))).toBe(503);
    await loginSdk(emu.url);
    expect((await rawRead()).status).toBe(200);
  });

  it("keeps an Infinity rule until clearFaults", async () => {
    emu.inject({ match: "getSecret", status: 502, count: Infinity });
    for (let i = 0; i < 3; i += 1) expect((await rawRead()).status).toBe(502);
    emu.clearFaults();
    expect((await rawRead()).status).toBe(200);
  });

  it("rejects a rule without status or drop", () => {
    expect(() => emu.inject({ count: 1 })).toThrow(/status, drop/);
  });

  it("answers a 429 without Retry-After, or with Retry-After: 0", async () => {
    emu.inject({ match: "getSecret", status: 429, omitRetryAfter: true, count: 1 });
    emu.inject({ match: "getSecret", status: 429, retryAfterSeconds: 0, count: 1 });
    const none = await rawRead();
    expect(none.status).toBe(429);
    expect(none.headers.get("retry-after")).toBeNull();
    expect(await none.json()).toMatchObject({ error: "RateLimitExceeded", message: "Rate limit exceeded" });
    const zero = await rawRead();
    expect(zero.headers.get("retry-after")).toBe("0");
    expect(await zero.json()).toMatchObject({ message: "Rate limit exceeded. Please try again in 0 seconds" });
  });

  it("delays the answers of one endpoint kind only", async () => {
    emu.inject({ match: "getSecret", delayMs: 200, count: 1 });
    const started = performance.now();
    const res = await rawRead();
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("streams a huge secret value as fast as the client reads, and stops when it goes away", async () => {
    emu.inject({ match: "getSecret", hugeValueBytes: 3 * 1024 * 1024, count: 1 });
    const whole = await rawRead();
    const body = (await whole.json()) as { secret: { secretKey: string; secretValue: string } };
    expect(body.secret.secretKey).toBe("API_KEY");
    expect(body.secret.secretValue).toHaveLength(3 * 1024 * 1024);

    const total = 200 * 1024 * 1024;
    emu.inject({ match: "getSecret", hugeValueBytes: total, count: 1 });
    const partial = await rawRead();
    const reader = partial.body!.getReader();
    let read = 0;
    while (read < 1024 * 1024) read += (await reader.read()).value!.byteLength;
    await reader.cancel();
    await expect.poll(() => emu.requests.at(-1)?.bytesSent, { timeout: 5_000 }).toBeDefined();
    expect(emu.requests.at(-1)!.bytesSent!).toBeLessThan(total / 4);
  });
});

describe("latency", () => {
  it("delays every response by the configured time", async () => {
    emu.setLatency(150);
    const started = performance.now();
    await sdkRead();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    emu.setLatency(0);
    const quick = performance.now();
    await sdkRead();
    expect(performance.now() - quick).toBeLessThan(140);
  });

  it("applies the start option and still delays faulted answers", async () => {
    const slow = await startEmulator({ seed: seed(), latencyMs: 120 });
    try {
      slow.inject({ match: "login", status: 500, count: 1 });
      const started = performance.now();
      await failure(() => loginSdk(slow.url));
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.stop();
    }
  });
});

describe("counters and request log", () => {
  it("counts requests per endpoint kind and failures, and resets", async () => {
    await sdkRead();
    await sdk.secrets().listSecrets({ projectId: PROJECT, environment: "dev" });
    // ci-short's TTL is below its max TTL, so its token can be renewed.
    const short = await loginSdk(emu.url, "ci-short", "short-secret");
    await short.auth().universalAuth.renew();
    await failure(() => loginSdk(emu.url, "ci-reader", "wrong"));
    await fetch(`${emu.url}/api/v9/unknown`);
    expect(emu.counters).toMatchObject({ login: 2, renew: 1, getSecret: 1, listSecrets: 1, total: 6, failed: 2 });
    expect(emu.counters.connections).toBeGreaterThan(0);
    expect(emu.requests.at(-1)).toEqual({
      method: "GET",
      path: "/api/v9/unknown",
      status: 404,
      at: expect.any(Number),
    });
    emu.resetCounters();
    expect(emu.counters).toEqual({
      login: 0,
      renew: 0,
      getSecret: 0,
      listSecrets: 0,
      status: 0,
      total: 0,
      failed: 0,
      connections: 0,
    });
  });

  it("logs method, path and status but never tokens, query strings or secrets", async () => {
    await sdkRead();
    await sdk
      .auth()
      .universalAuth.renew()
      .catch(() => undefined); // outcome irrelevant here, only the log
    await failure(() => loginSdk(emu.url, "ci-reader", "wrong-secret"));
    const log = JSON.stringify(emu.requests);
    expect(emu.requests.map((r) => r.path)).toEqual([
      "/api/v3/secrets/raw/API_KEY",
      "/api/v1/auth/token/renew",
      "/api/v1/auth/universal-auth/login",
    ]);
    for (const forbidden of [token, CLIENT_SECRET, "wrong-secret", "workspaceId", "dev-api-key"])
      expect(log).not.toContain(forbidden);
  });
});
