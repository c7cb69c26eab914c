import { UnavailableError } from "@bruin-ts/secrets-core";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeBackend, rejection, withEmulator } from "./test-support/fixtures.js";

/**
 * The overall deadline bounds the last attempt too. With a 1.5 s deadline and
 * 1 s per attempt against a server that never answers in time, the first
 * attempt is cut off by its own timer at 1 s and the second must be cut off
 * by the deadline at 1.5 s, not by its own timer at about 2 s.
 */
const DEADLINE_MS = 1_500;
const ATTEMPT_MS = 1_000;
// Well below the ~2 s a full second attempt would take, with room for a loaded machine.
const BOUND_MS = 1_850;

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

async function timed(fn: () => Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = performance.now();
  const error = await rejection(fn);
  return { error, ms: performance.now() - started };
}

describe("the overall deadline cuts the last attempt off", () => {
  it("a secret read: two attempts, the second ended by the deadline", async () => {
    const { backend } = makeBackend(
      emulator,
      {},
      { deadlineMs: DEADLINE_MS, requestTimeoutMs: ATTEMPT_MS, retryBaseMs: 10 },
    );
    try {
      await backend.get("my-postgres"); // logged in while the server was quick
      emulator.resetCounters();
      emulator.setLatency(10_000);
      const { error, ms } = await timed(() => backend.get("my-postgres"));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toMatch(/did not answer in time/);
      expect(emulator.counters.getSecret).toBe(2);
      expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      emulator.setLatency(0);
      await backend.close?.();
    }
  });

  it("a login: two attempts, the second ended by the deadline", async () => {
    emulator.setLatency(10_000);
    const { backend } = makeBackend(
      emulator,
      {},
      { deadlineMs: DEADLINE_MS, requestTimeoutMs: ATTEMPT_MS, retryBaseMs: 10 },
    );
    try {
      const { error, ms } = await timed(() => backend.get("my-postgres"));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(emulator.counters.login).toBe(2);
      expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      emulator.setLatency(0);
      await backend.close?.();
    }
  });
});
