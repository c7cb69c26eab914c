import { afterEach, describe, expect, it, vi } from "vitest";
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
    expect(parseSdkError(null)).toEqual({});
    // Only an Error is read: an object that merely has a message is not an SDK answer.
    expect(parseSdkError({ message: "[StatusCode=404] Secret not found" })).toEqual({});
  });
});

describe("callWithRetry: bounds", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("makes no attempt once the deadline has passed", async () => {
    const p = policy();
    const { call, calls } = failing();
    const error = await callWithRetry(call, p, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).failure).toEqual({ kind: "timeout", attempts: 0 });
    expect((error as TransportError).message).toBe("request abandoned: timeout after 0 attempt(s)");
    expect(calls()).toBe(0);
  });

  it("makes exactly maxAttempts attempts, waiting between them only", async () => {
    const p = policy({ maxAttempts: 3 });
    const { call, calls } = failing(...Array.from({ length: 10 }, () => sdkError(503, "Service Unavailable")));
    const error = await callWithRetry(call, p, 600_000).catch((e: unknown) => e);
    expect((error as TransportError).failure).toEqual({ kind: "server_error", attempts: 3, status: 503 });
    expect((error as TransportError).name).toBe("TransportError");
    expect((error as TransportError).message).toBe("request abandoned: server_error after 3 attempt(s)");
    expect(calls()).toBe(3);
    expect(p.waits).toHaveLength(2);
  });

  it("does not start a wait that would end exactly at the deadline", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const { call, calls } = failing(sdkError(500, "x"), sdkError(500, "x"));
    // No jitter: the first wait is exactly retryBaseMs.
    const short = policy();
    const error = await callWithRetry(call, short, 250).catch((e: unknown) => e);
    expect((error as TransportError).failure).toEqual({ kind: "server_error", attempts: 1, status: 500 });
    expect(short.waits).toEqual([]);
    expect(calls()).toBe(1);
    const enough = policy();
    expect(await callWithRetry(failing(sdkError(500, "x")).call, enough, 251)).toBe("ok");
    expect(enough.waits).toEqual([250]);
  });

  it("reports the last failure when a wait overran the deadline", async () => {
    const p = policy();
    // A sleep that returns late: the clock moves 10 s per wait.
    p.sleep = async (ms) => {
      p.waits.push(ms);
      clock.now += 10_000;
    };
    const clock = { now: 0 };
    p.now = () => clock.now;
    const { call, calls } = failing(sdkError(502, "Bad Gateway"));
    const error = await callWithRetry(call, p, 5_000).catch((e: unknown) => e);
    expect((error as TransportError).failure).toEqual({ kind: "server_error", attempts: 1, status: 502 });
    expect(calls()).toBe(1);
  });

  it("adds at most a quarter of the wait as jitter, and never more than 1 s", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    const small = policy();
    expect(await callWithRetry(failing(sdkError(500, "x"), sdkError(500, "x")).call, small, 600_000)).toBe("ok");
    expect(small.waits.map(Math.round)).toEqual([312, 625]);
    const large = policy({ retryBaseMs: 8_000, maxBackoffMs: 16_000 });
    expect(await callWithRetry(failing(sdkError(500, "x"), sdkError(500, "x")).call, large, 600_000)).toBe("ok");
    expect(large.waits.map(Math.round)).toEqual([9_000, 17_000]);
    const capped = policy({ retryBaseMs: 1_000, maxBackoffMs: 2_000 });
    const { call } = failing(sdkError(500, "x"), sdkError(500, "x"), sdkError(500, "x"));
    expect(await callWithRetry(call, capped, 600_000)).toBe("ok");
    expect(capped.waits.map(Math.round)).toEqual([1_250, 2_500, 2_500]);
  });

  it("waits at least the floor, plus up to a quarter of it, for a 429 that names a short delay", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    const p = policy({ retryBaseMs: 400 });
    const { call } = failing(
      sdkError(429, "Rate limit exceeded. Please try again in 0.2 seconds"),
      sdkError(429, "Rate limit exceeded. Please try again in 3 seconds"),
    );
    expect(await callWithRetry(call, p, 600_000)).toBe("ok");
    expect(p.waits.map(Math.round)).toEqual([500, 3_100]);
  });

  it("backs off exponentially for a 429 that says to try again in 0 seconds", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const p = policy();
    const zero = () => sdkError(429, "Rate limit exceeded. Please try again in 0 seconds");
    expect(await callWithRetry(failing(zero(), zero(), zero()).call, p, 600_000)).toBe("ok");
    expect(p.waits).toEqual([250, 500, 1_000]);
  });
});

describe("callWithRetry: what is retried", () => {
  it("retries a call that throws before returning a promise", async () => {
    let calls = 0;
    const call = () => {
      calls++;
      if (calls === 1) throw connectionFailed();
      return Promise.resolve("ok");
    };
    const p = policy();
    expect(await callWithRetry(call, p, 60_000)).toBe("ok");
    expect(calls).toBe(2);
    expect(p.waits).toHaveLength(1);
  });

  it("rethrows an error that is neither an answer nor a failed connection, at once", async () => {
    const bug = new TypeError("client.secrets is not a function");
    const { call, calls } = failing(bug);
    const p = policy();
    expect(await callWithRetry(call, p, 60_000).catch((e: unknown) => e)).toBe(bug);
    expect(calls()).toBe(1);
    expect(p.waits).toEqual([]);
  });

  it("treats 500 as a server error and 499 as a final answer", async () => {
    const p = policy();
    expect(await callWithRetry(failing(sdkError(500, "Internal")).call, p, 60_000)).toBe("ok");
    const error = await callWithRetry(failing(sdkError(499, "Closed")).call, policy(), 60_000).catch((e) => e);
    expect(error).toBeInstanceOf(HttpAnswerError);
    expect(error).toMatchObject({ name: "HttpAnswerError", message: "HTTP 499", status: 499, serverMessage: "Closed" });
  });

  it("answers a signal aborted before the call without calling, and passes the signal to the wait", async () => {
    const controller = new AbortController();
    controller.abort(new Error("run cancelled"));
    const { call, calls } = failing();
    await expect(callWithRetry(call, policy(), 60_000, controller.signal)).rejects.toThrow("run cancelled");
    expect(calls()).toBe(0);
    const live = new AbortController();
    const signals: Array<AbortSignal | undefined> = [];
    const p = policy();
    const sleep = p.sleep;
    p.sleep = (ms, signal) => {
      signals.push(signal);
      return sleep(ms, signal);
    };
    expect(await callWithRetry(failing(connectionFailed()).call, p, 60_000, live.signal)).toBe("ok");
    expect(signals).toEqual([live.signal]);
  });

  it("answers an abort during a failing attempt with the abort reason, not the failure", async () => {
    const controller = new AbortController();
    const call = async () => {
      controller.abort(new Error("run cancelled"));
      throw sdkError(503, "Service Unavailable");
    };
    await expect(callWithRetry(call, policy(), 60_000, controller.signal)).rejects.toThrow("run cancelled");
  });

  it("leaves no abort listener on the signal after its attempts", async () => {
    const controller = new AbortController();
    const listeners = new Set<string>();
    const ids = new Map<unknown, number>();
    const key = (type: string, listener: unknown) => {
      if (!ids.has(listener)) ids.set(listener, ids.size);
      return `${type}#${ids.get(listener)}`;
    };
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = (...args: Parameters<AbortSignal["addEventListener"]>) => {
      listeners.add(key(args[0], args[1]));
      add(...args);
    };
    controller.signal.removeEventListener = (...args: Parameters<AbortSignal["removeEventListener"]>) => {
      listeners.delete(key(args[0], args[1]));
      remove(...args);
    };
    const { call } = failing(connectionFailed(), sdkError(503, "x"));
    expect(await callWithRetry(call, policy(), 60_000, controller.signal)).toBe("ok");
    expect(ids.size).toBe(3);
    expect(listeners).toEqual(new Set());
  });

  it("reports failed connections that persist as unreachable", async () => {
    const p = policy({ maxAttempts: 2 });
    const { call, calls } = failing(connectionFailed(), connectionFailed(), connectionFailed());
    const error = await callWithRetry(call, p, 600_000).catch((e: unknown) => e);
    expect((error as TransportError).failure).toEqual({ kind: "unreachable", attempts: 2 });
    expect(calls()).toBe(2);
  });
});

describe("messages from the server and the SDK: edges", () => {
  it("keeps a multi-line server message whole and drops an empty one", () => {
    expect(parseSdkError(sdkError(400, "first line\nsecond line"))).toEqual({
      status: 400,
      message: "first line\nsecond line",
    });
    const empty = parseSdkError(sdkError(500, "   "));
    expect(empty).toEqual({ status: 500 });
    expect("message" in empty && empty.message !== undefined).toBe(false);
    expect(parseSdkError(new Error("[URL=https://h/x] [Method=GET] [StatusCode=404]Not found"))).toEqual({
      status: 404,
      message: "Not found",
    });
  });

  it("reads only a whole 'Request failed with status N' message", () => {
    expect(parseSdkError(new Error("Request failed with status 503"))).toEqual({ status: 503 });
    expect(parseSdkError(new Error("xRequest failed with status 503"))).toEqual({});
    expect(parseSdkError(new Error("Request failed with status 503 at https://h/api"))).toEqual({});
  });

  it("reads seconds and minutes, in any case, and nothing else", () => {
    expect(retryAfterFromMessage("Please TRY AGAIN IN 1.5 Seconds")).toBe(1.5);
    expect(retryAfterFromMessage("try again in 3minutes")).toBe(180);
    expect(retryAfterFromMessage("try again in 10 hours")).toBeUndefined();
    expect(retryAfterFromMessage(12)).toBeUndefined();
    expect(retryAfterFromMessage("try again in 1.25 seconds")).toBe(1.25);
    // Only a message string is read, not an error passed in its place.
    expect(retryAfterFromMessage(new Error("try again in 5 seconds"))).toBeUndefined();
  });
});
