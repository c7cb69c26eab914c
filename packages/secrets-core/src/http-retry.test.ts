import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpRetryError, fetchWithRetry, retryAfterMs } from "./http-retry.js";

type Handler = (request: IncomingMessage, response: ServerResponse, count: number) => void;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Handler): Promise<{ url: string; count: () => number }> {
  let count = 0;
  server = createServer((request, response) => handler(request, response, ++count));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/x`, count: () => count };
}

const fast = { timeoutMs: 5_000, maxRetries: 3, waitMinMs: 10, waitMaxMs: 40 };

async function failure(promise: Promise<unknown>): Promise<HttpRetryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof HttpRetryError)) throw new Error(`expected an HttpRetryError, got ${String(error)}`);
  return error;
}

describe("fetchWithRetry", () => {
  it("returns a final answer at once, 4xx included", async () => {
    const { url, count } = await serve((_q, r) => r.writeHead(404).end('{"errors":[]}'));
    const answer = await fetchWithRetry(url, {}, fast);
    expect(answer).toMatchObject({ status: 404, body: '{"errors":[]}', attempts: 1 });
    expect(count()).toBe(1);
  });

  it("retries 5xx and resets, then returns the answer", async () => {
    const { url, count } = await serve((_q, r, n) => {
      if (n === 1) r.writeHead(503).end();
      else if (n === 2) r.socket?.destroy();
      else r.writeHead(200).end("ok");
    });
    const answer = await fetchWithRetry(url, {}, fast);
    expect(answer).toMatchObject({ status: 200, body: "ok", attempts: 3 });
    expect(count()).toBe(3);
  });

  it("honours Retry-After on a 429", async () => {
    const { url } = await serve((_q, r, n) =>
      n === 1 ? r.writeHead(429, { "retry-after": "1" }).end() : r.writeHead(200).end("ok"),
    );
    const started = Date.now();
    const answer = await fetchWithRetry(url, {}, fast);
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("gives up after maxRetries, saying why", async () => {
    const { url, count } = await serve((_q, r) => r.writeHead(429).end());
    const error = await failure(fetchWithRetry(url, {}, { ...fast, maxRetries: 2 }));
    expect(error.failure).toEqual({ kind: "rate_limited", attempts: 3 });
    expect(count()).toBe(3);
  });

  it("reports the last 5xx status when the retries run out", async () => {
    const { url, count } = await serve((_q, r) => r.writeHead(502).end());
    const error = await failure(fetchWithRetry(url, {}, { ...fast, maxRetries: 0 }));
    expect(error.failure).toEqual({ kind: "server_error", attempts: 1, status: 502 });
    expect(count()).toBe(1);
  });

  it("does not start a Retry-After wait that would end past the deadline", async () => {
    const { url, count } = await serve((_q, r) => r.writeHead(429, { "retry-after": "30" }).end());
    const started = Date.now();
    const error = await failure(fetchWithRetry(url, {}, { ...fast, timeoutMs: 2_000 }));
    expect(error.failure.kind).toBe("rate_limited");
    expect(count()).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("ends a request that does not answer at the deadline", async () => {
    const { url } = await serve(() => undefined);
    const error = await failure(fetchWithRetry(url, {}, { ...fast, timeoutMs: 300 }));
    expect(error.failure.kind).toBe("timeout");
  });

  it("reports a refused connection as unreachable, without the URL", async () => {
    const { url } = await serve((_q, r) => r.end());
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const error = await failure(fetchWithRetry(url, {}, { ...fast, maxRetries: 1 }));
    expect(error.failure).toMatchObject({ kind: "unreachable", attempts: 2, code: "ECONNREFUSED" });
    expect(error.message).not.toContain("127.0.0.1");
  });

  it("refuses a body over the limit", async () => {
    const { url } = await serve((_q, r) => r.writeHead(200).end("x".repeat(2048)));
    const error = await failure(fetchWithRetry(url, {}, { ...fast, maxBodyBytes: 1024 }));
    expect(error.failure).toEqual({ kind: "too_large", attempts: 1, limit: 1024 });
  });

  it("throws the abort reason when the signal aborts", async () => {
    const { url } = await serve(() => undefined);
    const controller = new AbortController();
    const reason = new Error("stop");
    setTimeout(() => controller.abort(reason), 50);
    await expect(fetchWithRetry(url, {}, { ...fast, signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("retryAfterMs", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(retryAfterMs("3")).toBe(3_000);
    expect(retryAfterMs("0.5")).toBe(500);
    const now = Date.parse("2024-01-01T00:00:00Z");
    expect(retryAfterMs("Mon, 01 Jan 2024 00:00:05 GMT", now)).toBe(5_000);
  });

  it("ignores absent, zero, past and unparsable values", () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs("0")).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs("Mon, 01 Jan 2024 00:00:05 GMT", Date.parse("2025-01-01T00:00:00Z"))).toBeUndefined();
  });
});
