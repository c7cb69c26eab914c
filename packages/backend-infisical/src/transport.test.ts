import { describe, expect, it } from "vitest";
import { parseSdkError, serverMessage } from "./sdk-fetch.js";
import {
  readCapped,
  retryAfterFromHeader,
  retryAfterFromMessage,
  sendWithRetry,
  tlsErrorCode,
  TransportError,
  type RetryPolicy,
} from "./transport.js";

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

  it("backs off exponentially, jitter on top of each step, within the cap", async () => {
    const p = policy({ maxAttempts: 5 });
    const script = scripted([answer(500)]);
    const error = await sendWithRetry(script.send, p, Date.now() + 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).failure).toEqual({ kind: "server_error", attempts: 5, status: 500 });
    expect(script.calls()).toBe(5);
    const steps = [100, 200, 400, 400];
    expect(p.waits).toHaveLength(4);
    p.waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(steps[index]!);
      expect(wait).toBeLessThanOrEqual(steps[index]! * 1.25);
    });
  });

  it.each([
    ["no Retry-After at all", answer(429, { message: "Rate limit exceeded" })],
    ["Retry-After: 0", answer(429, {}, { "retry-after": "0" })],
    ["'try again in 0 seconds'", answer(429, { message: "Rate limit exceeded. Please try again in 0 seconds" }, { "retry-after": "0" })],
  ])("backs off exponentially from the 250 ms floor on a 429 with %s", async (_case, rateLimited) => {
    const p = policy({ retryBaseMs: 250, maxBackoffMs: 4_000, maxAttempts: 6 });
    const script = scripted([rateLimited]);
    const error = (await sendWithRetry(script.send, p, Date.now() + 60_000).catch((e: unknown) => e)) as TransportError;
    expect(error.failure.kind).toBe("rate_limited");
    expect(script.calls()).toBe(6);
    const steps = [250, 500, 1_000, 2_000, 4_000];
    expect(p.waits).toHaveLength(5);
    p.waits.forEach((wait, index) => {
      expect(wait).toBeGreaterThanOrEqual(steps[index]!);
      expect(wait).toBeLessThanOrEqual(steps[index]! * 1.25);
    });
  });

  it("never waits less than the floor, even for a Retry-After below it", async () => {
    const p = policy({ retryBaseMs: 250 });
    const script = scripted([answer(429, { message: "Please try again in 0.1 seconds" }), answer(200)]);
    await sendWithRetry(script.send, p, Date.now() + 60_000);
    expect(p.waits[0]).toBeGreaterThanOrEqual(250);
  });

  it.each([
    ["node:https", Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" })],
    ["fetch", new TypeError("fetch failed", { cause: Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }) })],
    ["a name mismatch", Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: "ERR_TLS_CERT_ALTNAME_INVALID" })],
  ])("does not retry a TLS failure (%s)", async (_case, failure) => {
    const p = policy();
    const script = scripted([failure]);
    const error = (await sendWithRetry(script.send, p, Date.now() + 60_000).catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.failure).toEqual({ kind: "tls", attempts: 1, code: tlsErrorCode(failure) });
    expect(script.calls()).toBe(1);
    expect(p.waits).toEqual([]);
  });

  it("refuses an answer larger than the cap without retrying, having read only up to it", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            controller.enqueue(chunk);
          },
        }),
        { status: 200 },
      );
    const p = policy({ maxResponseBytes: 1024 * 1024 });
    const script = scripted([endless]);
    const error = (await sendWithRetry(script.send, p, Date.now() + 60_000).catch((e: unknown) => e)) as TransportError;
    expect(error.failure).toEqual({ kind: "too_large", attempts: 1, limitBytes: 1024 * 1024 });
    expect(script.calls()).toBe(1);
    // 16 chunks reach the cap, the 17th passes it; a few more may be queued by the stream.
    expect(pulled).toBeLessThan(20);
  });

  it("refuses at once an answer whose content-length is over the cap", async () => {
    const big = new Response("x", { headers: { "content-length": String(64 * 1024 * 1024) } });
    await expect(readCapped(big, 1024)).rejects.toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE" });
    const small = await readCapped(new Response("{\"ok\":true}", { status: 201 }), 1024);
    expect(small.status).toBe(201);
    expect(await small.json()).toEqual({ ok: true });
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

  it("reads Retry-After as seconds or as a date; absent is not 0", () => {
    expect(retryAfterFromHeader(null)).toBeUndefined();
    expect(retryAfterFromHeader("")).toBeUndefined();
    expect(retryAfterFromHeader("0")).toBe(0);
    expect(retryAfterFromHeader("7")).toBe(7);
    expect(retryAfterFromHeader(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(retryAfterFromHeader("soon")).toBeUndefined();
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
