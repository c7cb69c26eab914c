import { describe, expect, it } from "vitest";
import { parseSdkError, serverMessage } from "./sdk-fetch.js";
import { retryAfterFromMessage, sendWithRetry, TransportError, type RetryPolicy } from "./transport.js";

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    fetch: () => Promise.reject(new Error("unused")),
    now: Date.now,
    sleep: async (ms) => void waits.push(ms),
    requestTimeoutMs: 1_000,
    retryBaseMs: 100,
    maxBackoffMs: 400,
    maxAttempts: 6,
    ...overrides,
  };
}

const answer = (status: number, body: unknown = {}, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers });

/** Answers in order, repeating the last one; an Error is thrown as a network failure. */
function scripted(responses: Array<(() => Response) | Error>): { send: () => Promise<Response>; calls: () => number } {
  let index = 0;
  return {
    calls: () => index,
    send: async () => {
      const next = responses[Math.min(index++, responses.length - 1)]!;
      if (next instanceof Error) throw next;
      return next();
    },
  };
}

describe("sendWithRetry", () => {
  it("returns a 4xx other than 429 at once", async () => {
    const script = scripted([answer(404, { message: "Secret with name 'x' not found" })]);
    const response = await sendWithRetry(script.send, policy(), Date.now() + 5_000);
    expect(response.status).toBe(404);
    expect(script.calls()).toBe(1);
  });

  it("waits the seconds a 429 names, else its Retry-After header", async () => {
    const p = policy();
    const script = scripted([
      answer(429, { message: "Rate limit exceeded. Please try again in 3 seconds" }),
      answer(429, {}, { "retry-after": "2" }),
      answer(200, { ok: true }),
    ]);
    const response = await sendWithRetry(script.send, p, Date.now() + 60_000);
    expect(response.status).toBe(200);
    expect(p.waits[0]).toBeGreaterThanOrEqual(3_000);
    expect(p.waits[0]).toBeLessThan(3_300);
    expect(p.waits[1]).toBeGreaterThanOrEqual(2_000);
    expect(p.waits[1]).toBeLessThan(2_300);
  });

  it("backs off exponentially with jitter, within the cap", async () => {
    const p = policy({ maxAttempts: 5 });
    const script = scripted([answer(500)]);
    const error = await sendWithRetry(script.send, p, Date.now() + 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).failure).toEqual({ kind: "server_error", attempts: 5, status: 500 });
    expect(script.calls()).toBe(5);
    const ceilings = [100, 200, 400, 400];
    p.waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(ceilings[index]! / 2);
      expect(wait).toBeLessThanOrEqual(ceilings[index]!);
    });
  });

  it("classifies network errors as unreachable and stops at the deadline", async () => {
    let clock = 0;
    const p = policy({ now: () => clock, sleep: async (ms) => void (clock += ms) });
    const script = scripted([new TypeError("fetch failed")]);
    const error = (await sendWithRetry(script.send, p, 250).catch((e: unknown) => e)) as TransportError;
    expect(error.failure.kind).toBe("unreachable");
    expect(clock).toBeLessThanOrEqual(250);
    expect(error.message).not.toContain("fetch failed");
  });

  it("does not wait for a rate limit that ends after the deadline", async () => {
    const p = policy();
    const script = scripted([answer(429, { message: "Please try again in 60 seconds" })]);
    const error = (await sendWithRetry(script.send, p, Date.now() + 5_000).catch((e: unknown) => e)) as TransportError;
    expect(error.failure).toEqual({ kind: "rate_limited", attempts: 1, retryAfterSeconds: 60 });
    expect(p.waits).toEqual([]);
  });
});

describe("messages from the server and the SDK", () => {
  it("reads the retry delay from Infisical's rate-limit message", () => {
    expect(retryAfterFromMessage("Rate limit exceeded. Please try again in 12 seconds")).toBe(12);
    expect(retryAfterFromMessage("Please try again in 1 minute")).toBe(60);
    expect(retryAfterFromMessage("Something went wrong")).toBeUndefined();
  });

  it("keeps status and message from an SDK request error, never its URL", () => {
    const error = new Error("[URL=http://h/api/v3/secrets/raw/x?workspaceId=p] [Method=GET] [StatusCode=404] Secret with name 'x' not found");
    error.name = "InfisicalSDKRequestError";
    expect(parseSdkError(error)).toEqual({ status: 404, message: "Secret with name 'x' not found" });
    expect(parseSdkError(new Error("fetch failed"))).toEqual({});
  });

  it("reads error bodies, ignoring a 422's list of issues", () => {
    expect(serverMessage('{"statusCode":403,"message":"You are not allowed to read on secrets","error":"PermissionDenied"}')).toEqual({
      error: "PermissionDenied",
      message: "You are not allowed to read on secrets",
    });
    expect(serverMessage('{"message":[{"code":"invalid_type"}],"error":"ValidationFailure"}')).toEqual({
      error: "ValidationFailure",
      message: undefined,
    });
    expect(serverMessage("<html>Bad Gateway</html>")).toEqual({});
  });
});
