import { AuthenticationError, UnavailableError } from "@bruin-ts/secrets-core";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { leaks, makeBackend, rejection, withEmulator } from "./test-support/fixtures.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.clearFaults();
  emulator.setLatency(0);
  emulator.resetCounters();
});

/** A sleep that returns at once and remembers how long it was asked to wait. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe("transient failures are absorbed", () => {
  it("never retries a 404", async () => {
    const { backend } = makeBackend(emulator);
    await rejection(() => backend.get("nope"));
    expect(emulator.counters).toMatchObject({ login: 1, getSecret: 1 });
  });

  it("retries a 503 and a 500 from outside the SDK, each wait at least the floor", async () => {
    emulator.inject({ match: "getSecret", status: 503, count: 1 });
    emulator.inject({ match: "getSecret", status: 500, count: 1 });
    const { sleep, waits } = recordingSleep();
    const { backend } = makeBackend(emulator, {}, { sleep, deadlineMs: 10_000, retryBaseMs: 250 });
    expect(await backend.get("my-postgres")).toMatchObject({ type: "postgres" });
    expect(emulator.counters).toMatchObject({ login: 1, getSecret: 3, failed: 2 });
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
  });

  it("retries a failing login", async () => {
    emulator.inject({ match: "login", status: 500, count: 1 });
    const { sleep, waits } = recordingSleep();
    const { backend } = makeBackend(emulator, {}, { sleep, deadlineMs: 10_000 });
    expect(await backend.get("my-postgres")).toMatchObject({ type: "postgres" });
    expect(emulator.counters).toMatchObject({ login: 2, getSecret: 1 });
    expect(waits).toHaveLength(1);
  });
});

describe("persistent failures end within the deadline", () => {
  it("reports a persistent 500 as unavailable", async () => {
    emulator.inject({ match: "getSecret", status: 500, count: Infinity });
    const { backend, redactor } = makeBackend(emulator, {}, { deadlineMs: 400, retryBaseMs: 20 });
    const started = Date.now();
    const error = await rejection(() => backend.get("my-postgres"));
    expect(Date.now() - started).toBeLessThan(900);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(
      new RegExp(
        `^failed to read secret from Infisical: ${emulator.url.replace(/\./g, "\\.")} is unavailable \\(HTTP 500, \\d+ attempts\\)`,
      ),
    );
    expect(error.message).toContain("connection 'my-postgres'");
    expect(emulator.counters.getSecret).toBeGreaterThan(2);
    expect(leaks(error.describe())).toEqual([]);
    expect(redactor.redact(error.describe())).toBe(error.describe());
  });

  it("reports an outage during login as unavailable, not as bad credentials", async () => {
    emulator.inject({ match: "any", status: 502, count: Infinity });
    const { backend } = makeBackend(emulator, {}, { deadlineMs: 300, retryBaseMs: 20 });
    const error = await rejection(() => backend.get("my-postgres"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^failed to authenticate with Infisical: .* is unavailable \(HTTP 502/);
  });

  it("times out a server that does not answer", async () => {
    const { backend } = makeBackend(emulator, {}, { deadlineMs: 500, requestTimeoutMs: 100, retryBaseMs: 10 });
    await backend.get("my-postgres"); // logged in while the server was quick
    emulator.setLatency(2_000);
    const started = Date.now();
    const error = await rejection(() => backend.get("no-type"));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(/^failed to read secret from Infisical: .* did not answer in time/);
  });

  it("stops at once when the caller aborts", async () => {
    emulator.setLatency(1_000);
    const { backend } = makeBackend(emulator, {}, { deadlineMs: 5_000 });
    const controller = new AbortController();
    const pending = backend.get("my-postgres", controller.signal);
    setTimeout(() => controller.abort(new Error("run cancelled")), 50);
    const started = Date.now();
    await expect(pending).rejects.toThrow("run cancelled");
    expect(Date.now() - started).toBeLessThan(500);
  });
});

it("takes its overall deadline from BRUIN_INFISICAL_TIMEOUT", async () => {
  emulator.clearFaults();
  emulator.inject({ match: "getSecret", status: 503, count: Infinity });
  const { backend } = makeBackend(
    emulator,
    { BRUIN_INFISICAL_TIMEOUT: "0.4" },
    { deadlineMs: undefined, retryBaseMs: 20 },
  );
  const started = Date.now();
  const error = await rejection(() => backend.get("my-postgres"));
  expect(error).toBeInstanceOf(UnavailableError);
  expect(Date.now() - started).toBeLessThan(900);
  emulator.clearFaults();
});

describe("answers the SDK cannot use", () => {
  /** A stand-in for a proxy or load balancer in front of Infisical: logins pass, secret reads get `status` and `body`. */
  async function pageServer(
    status: number,
    body: string,
  ): Promise<{ url: string; reads: () => number; close: () => Promise<void> }> {
    let reads = 0;
    const server: Server = createServer((request, response) => {
      if (request.url?.startsWith("/api/v1/auth/")) {
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ accessToken: "tok-PAGESERVER-1", expiresIn: 600 }));
      } else if (request.url === "/api/status") {
        response.writeHead(200).end("ok");
      } else {
        reads += 1;
        response.writeHead(status, { "content-type": "text/html" }).end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      reads: () => reads,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  it("reports a proxy page instead of JSON as unavailable, without its content", async () => {
    const page = await pageServer(200, "<html>PROXY-PAGE-MARKER sign in</html>");
    try {
      const { backend } = makeBackend(emulator, { BRUIN_INFISICAL_HOST: page.url });
      const error = await rejection(() => backend.get("my-postgres"));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toMatch(
        /^failed to read secret from Infisical: unexpected answer from http:\/\/127\.0\.0\.1:\d+ for secret 'my-postgres'/,
      );
      expect(error.describe()).not.toContain("PROXY-PAGE-MARKER");
      expect(error.describe()).not.toContain("tok-PAGESERVER-1");
      expect(page.reads()).toBe(1);
    } finally {
      await page.close();
    }
  });

  it("reports a non-JSON error page by its status, retried as a 5xx", async () => {
    const page = await pageServer(502, "<html>Bad Gateway PROXY-PAGE-MARKER</html>");
    try {
      const { backend } = makeBackend(
        emulator,
        { BRUIN_INFISICAL_HOST: page.url },
        { deadlineMs: 400, retryBaseMs: 20 },
      );
      const error = await rejection(() => backend.get("my-postgres"));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toMatch(/is unavailable \(HTTP 502, \d+ attempts\)/);
      expect(error.describe()).not.toContain("PROXY-PAGE-MARKER");
      expect(page.reads()).toBeGreaterThan(1);
    } finally {
      await page.close();
    }
  });
});
