import { afterEach, expect, it, vi } from "vitest";
import { parseInstant } from "./interval.js";

/**
 * Times without a zone are UTC whatever the machine's zone is. (Separate from
 * interval.test.ts: a change of process.env.TZ moves the zone of the process,
 * not of a worker thread, so StrykerJS, which runs vitest in threads, leaves
 * this file out.)
 */
afterEach(() => {
  vi.unstubAllEnvs();
});

it("a time without a zone is UTC on a machine in another time zone too", () => {
  vi.stubEnv("TZ", "Asia/Kolkata");
  // The stub took effect: local time here is 5:30 ahead of UTC.
  expect(new Date(2024, 0, 2, 3, 4, 5).toISOString()).toBe("2024-01-01T21:34:05.000Z");
  const iso = (text: string, endOfDay = false) => {
    const instant = parseInstant(text, "--start-date", endOfDay);
    return [instant.date.toISOString(), instant.micros];
  };
  expect(iso("2024-01-02 03:04:05")).toEqual(["2024-01-02T03:04:05.000Z", 0]);
  expect(iso("2024-01-02T03:04:05.250")).toEqual(["2024-01-02T03:04:05.250Z", 0]);
  expect(iso("2024-01-02", true)).toEqual(["2024-01-02T23:59:59.999Z", 999]);
  // With a zone, the zone given counts, not the machine's.
  expect(iso("2024-01-02T03:04:05+01:00")).toEqual(["2024-01-02T02:04:05.000Z", 0]);
});
