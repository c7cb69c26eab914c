import { describe, expect, it } from "vitest";
import {
  callWithRetry,
  HttpAnswerError,
  parseSdkError,
  retryAfterFromMessage,
  TransportError,
  type RetryPolicy,
} from "./transport.js";

/** An error shaped like the SDK's for an HTTP answer. */
const sdkError = (status: number, message: string) =>
  Object.assign(
    new Error(`[URL=https://h.example/api/v3/secrets/raw/x] [Method=GET] [StatusCode=${status}] ${message}`),
    {
      name: "InfisicalSDKRequestError",
    },
  );
const connectionFailed = () => Object.assign(new Error("fetch failed"), { name: "InfisicalSDKError" });

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  let clock = 0;
  return {
    waits,
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    requestTimeoutMs: 1_000,
    retryBaseMs: 250,
    maxBackoffMs: 4_000,
    maxAttempts: 8,
    ...overrides,
  };
}

/** A call that throws each of `errors` in turn, then answers "ok". */
function failing(...errors: Error[]): { call: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    call: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return "ok";
    },
  };
}

describe("callWithRetry", () => {
  it("returns a 4xx other than 429 at once, with its status and message", async () => {
    const { call, calls } = failing(sdkError(404, "Secret with name 'x' not found"));
    const error = await callWithRetry(call, policy(), 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpAnswerError);
    expect(error).toMatchObject({ status: 404, serverMessage: "Secret with name 'x' not found" });
    expect(calls()).toBe(1);
  });

  it("waits the seconds a 429 names, never less than the floor, and backs off a 429 without them", async () => {
    const p = policy();
    const { call } = failing(
      sdkError(429, "Rate limit exceeded. Please try again in 2 seconds"),
      sdkError(429, "Rate limit exceeded. Please try again in 0.1 seconds"),
      sdkError(429, "Rate limit exceeded"),
    );
    expect(await callWithRetry(call, p, 60_000)).toBe("ok");
    expect(p.waits[0]).toBeGreaterThanOrEqual(2_000);
    expect(p.waits[0]).toBeLessThan(2_000 + 63);
    expect(p.waits[1]).toBeGreaterThanOrEqual(250);
    expect(p.waits[2]).toBeGreaterThanOrEqual(1_000);
  });

  it("backs off 5xx and failed connections exponentially, jitter on top, within the cap", async () => {
    const p = policy();
    const { call } = failing(
      sdkError(503, "Service Unavailable"),
      connectionFailed(),
      sdkError(500, "x"),
      sdkError(502, "x"),
      sdkError(504, "x"),
      sdkError(500, "x"),
    );
    expect(await callWithRetry(call, p, 600_000)).toBe("ok");
    const floors = [250, 500, 1_000, 2_000, 4_000, 4_000];
    p.waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(floors[index]!);
      expect(wait).toBeLessThanOrEqual(floors[index]! * 1.25 + 1);
    });
  });

  it("does not wait for a rate limit that ends after the deadline, and names the failure", async () => {
    const p = policy();
    const { call, calls } = failing(sdkError(429, "Rate limit exceeded. Please try again in 5 seconds"));
    const error = await callWithRetry(call, p, 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).failure).toEqual({ kind: "rate_limited", attempts: 1, retryAfterSeconds: 5 });
    expect(calls()).toBe(1);
    expect(p.waits).toEqual([]);
  });

  it("gives an attempt up after requestTimeoutMs and answers an abort at once", async () => {
    const never = () => new Promise<string>(() => undefined);
    const started = Date.now();
    const error = await callWithRetry(
      never,
      { ...policy(), now: Date.now, requestTimeoutMs: 50, maxAttempts: 2, retryBaseMs: 10 },
      Date.now() + 5_000,
    ).catch((e: unknown) => e);
    expect((error as TransportError).failure).toEqual({ kind: "timeout", attempts: 2 });
    expect(Date.now() - started).toBeLessThan(1_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("run cancelled")), 20);
    await expect(
      callWithRetry(never, { ...policy(), now: Date.now }, Date.now() + 5_000, controller.signal),
    ).rejects.toThrow("run cancelled");
  });
});

describe("messages from the server and the SDK", () => {
  it("reads the retry delay from Infisical's rate-limit message", () => {
    expect(retryAfterFromMessage("Rate limit exceeded. Please try again in 12 seconds")).toBe(12);
    expect(retryAfterFromMessage("Rate limit exceeded. Please try again in 2 minutes")).toBe(120);
    expect(retryAfterFromMessage("Rate limit exceeded")).toBeUndefined();
    expect(retryAfterFromMessage(undefined)).toBeUndefined();
  });

  it("keeps status and message from an SDK request error, never its URL", () => {
    const parsed = parseSdkError(sdkError(404, "Secret with name 'x' not found"));
    expect(parsed).toEqual({ status: 404, message: "Secret with name 'x' not found" });
    expect(JSON.stringify(parsed)).not.toContain("/api/");
    expect(
      parseSdkError(Object.assign(new Error("Request failed with status 502"), { name: "InfisicalSDKError" })),
    ).toEqual({ status: 502 });
    expect(parseSdkError(connectionFailed())).toEqual({});
    expect(parseSdkError("not an error")).toEqual({});
  });
});
