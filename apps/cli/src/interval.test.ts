import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "./errors.js";
import {
  IntervalOrderError,
  formatInstant,
  intervalFrom,
  intervalInstants,
  parseInstant,
  resolveInterval,
} from "./interval.js";

/**
 * The interval parsing on its own, to the microsecond: every accepted form,
 * the boundaries of what is rejected, the order check and the exact messages.
 * (dates.test.ts shows the same through `bruin run`.)
 */
const iso = (instant: { date: Date; micros: number }) => [instant.date.toISOString(), instant.micros];

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error("expected a UsageError");
}

/** The message of a start after the end: the reference's, exit 1. */
function orderError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(IntervalOrderError);
    expect((error as IntervalOrderError).exitCode).toBe(1);
    return (error as Error).message;
  }
  throw new Error("expected an IntervalOrderError");
}

const order = (start: string, end: string) =>
  `Start date cannot be after end date. Given start date: ${start}, end date: ${end}`;

const expectedForms =
  "expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS[.ffffff]' or an ISO timestamp such as 2024-01-01T00:00:00Z";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe("parseInstant", () => {
  it("a date alone is the start of the day, or with endOfDay its last microsecond", () => {
    expect(iso(parseInstant("2024-01-02", "--start-date"))).toEqual(["2024-01-02T00:00:00.000Z", 0]);
    expect(iso(parseInstant("2024-01-02", "--end-date", false))).toEqual(["2024-01-02T00:00:00.000Z", 0]);
    expect(iso(parseInstant("2024-01-02", "--end-date", true))).toEqual(["2024-01-02T23:59:59.999Z", 999]);
    // The last day of a month, and a leap day.
    expect(iso(parseInstant("2024-01-31", "f", true))).toEqual(["2024-01-31T23:59:59.999Z", 999]);
    expect(iso(parseInstant("2024-02-29", "f"))).toEqual(["2024-02-29T00:00:00.000Z", 0]);
    expect(iso(parseInstant("2024-12-31", "f"))).toEqual(["2024-12-31T00:00:00.000Z", 0]);
  });

  it("surrounding blanks are ignored", () => {
    expect(iso(parseInstant("  2024-01-02\t", "f"))).toEqual(["2024-01-02T00:00:00.000Z", 0]);
    expect(iso(parseInstant(" 2024-01-02 03:04:05 ", "f"))).toEqual(["2024-01-02T03:04:05.000Z", 0]);
  });

  it("a date and time, with a space or a T, without a zone is UTC", () => {
    expect(iso(parseInstant("2024-01-02 03:04:05", "f"))).toEqual(["2024-01-02T03:04:05.000Z", 0]);
    expect(iso(parseInstant("2024-01-02T03:04:05", "f"))).toEqual(["2024-01-02T03:04:05.000Z", 0]);
    // endOfDay applies to a date alone only.
    expect(iso(parseInstant("2024-01-02 03:04:05", "f", true))).toEqual(["2024-01-02T03:04:05.000Z", 0]);
  });

  it("keeps the fraction of a second to the microsecond, and drops digits past it", () => {
    const cases: [string, string, number][] = [
      ["2024-01-02 03:04:05.5", "2024-01-02T03:04:05.500Z", 0],
      ["2024-01-02 03:04:05.05", "2024-01-02T03:04:05.050Z", 0],
      ["2024-01-02 03:04:05.123", "2024-01-02T03:04:05.123Z", 0],
      ["2024-01-02 03:04:05.1234", "2024-01-02T03:04:05.123Z", 400],
      ["2024-01-02 03:04:05.000001", "2024-01-02T03:04:05.000Z", 1],
      ["2024-01-02 03:04:05.654321", "2024-01-02T03:04:05.654Z", 321],
      ["2024-01-02 03:04:05.1234567", "2024-01-02T03:04:05.123Z", 456],
      ["2024-01-02 03:04:05.999999999", "2024-01-02T03:04:05.999Z", 999],
      ["2024-01-02T03:04:05.654321Z", "2024-01-02T03:04:05.654Z", 321],
    ];
    for (const [text, date, micros] of cases) expect(iso(parseInstant(text, "f")), text).toEqual([date, micros]);
  });

  it("an ISO timestamp with a zone is converted to UTC", () => {
    const cases: [string, string][] = [
      ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z"],
      ["2024-01-02T03:04:05+02:00", "2024-01-02T01:04:05.000Z"],
      ["2024-01-02T03:04:05-0130", "2024-01-02T04:34:05.000Z"],
      ["2024-01-02 03:04:05+0000", "2024-01-02T03:04:05.000Z"],
      ["2024-01-02T03:04:05.5-05:00", "2024-01-02T08:04:05.500Z"],
    ];
    for (const [text, date] of cases) expect(iso(parseInstant(text, "f")), text).toEqual([date, 0]);
  });

  it("rejects anything else, naming the flag and quoting the value as given", () => {
    const bad = [
      "",
      "   ",
      "yesterday",
      "2024-02-30",
      "2023-02-29",
      "2024-04-31",
      "2024-13-01",
      "2024-00-10",
      "2024-01-00",
      "2024-01-32",
      "2024-1-2",
      "24-01-02",
      "12024-01-02",
      "2024-01-023",
      "x2024-01-02",
      "2024-01-02x",
      "02/01/2024",
      "2024/01/02",
      "2024-01-02 25:00:00",
      "2024-01-02 03:60:00",
      "2024-01-02 3:04:05",
      "2024-01-02 03:04",
      "2024-01-02 03:04:05.",
      "2024-01-02 03:04:05.1234567890",
      "2024-01-02_03:04:05",
      "2024-01-0203:04:05",
      "2024-01-02 03:04:05 Z",
      "2024-01-02T03:04:05z",
      "2024-01-02T03:04:05+2:00",
      "2024-01-02T03:04:05+02:0",
      "2024-01-02T03:04:05+02:000",
      "2024-01-02T03:04:05 +02:00",
      "2024-01-02T03:04:05UTC",
      "x2024-01-02 03:04:05",
      "2024-01-02 03:04:05x",
      // V8's own parser would read this as 2001-01-01: the whole value must be one of the forms.
      "1(2024-01-02 03:04:05",
      "1(2024-01-02",
    ];
    for (const value of bad) {
      const error = usageError(() => parseInstant(value, "--start-date"));
      expect(error.message, value).toBe(`invalid --start-date '${value}': ${expectedForms}`);
    }
    expect(usageError(() => parseInstant(" 2024-02-30 ", "BRUIN_END_DATE", true)).message).toBe(
      `invalid BRUIN_END_DATE ' 2024-02-30 ': ${expectedForms}`,
    );
  });
});

describe("resolveInterval", () => {
  const now = new Date("2024-03-05T10:20:30.123Z");

  it("defaults to yesterday, from 00:00:00 to 23:59:59.999999 UTC", () => {
    expect(resolveInterval(undefined, undefined, now)).toEqual({
      start: new Date("2024-03-04T00:00:00.000Z"),
      end: new Date("2024-03-04T23:59:59.999Z"),
      startMicros: 0,
      endMicros: 999,
    });
    // Across a month with a leap day, and a year.
    const leap = resolveInterval(undefined, undefined, new Date("2024-03-01T00:00:00.000Z"));
    expect([leap.start.toISOString(), leap.end.toISOString()]).toEqual([
      "2024-02-29T00:00:00.000Z",
      "2024-02-29T23:59:59.999Z",
    ]);
    const year = resolveInterval(undefined, undefined, new Date("2025-01-01T23:59:59.999Z"));
    expect([year.start.toISOString(), year.end.toISOString()]).toEqual([
      "2024-12-31T00:00:00.000Z",
      "2024-12-31T23:59:59.999Z",
    ]);
  });

  it("the clock defaults to now", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2023-07-10T05:00:00Z") });
    const interval = resolveInterval(undefined, undefined);
    expect([interval.start.toISOString(), interval.end.toISOString()]).toEqual([
      "2023-07-09T00:00:00.000Z",
      "2023-07-09T23:59:59.999Z",
    ]);
  });

  it("an empty flag counts as absent; one given end keeps the default for the other", () => {
    expect(resolveInterval("", "", now)).toEqual(resolveInterval(undefined, undefined, now));
    expect(resolveInterval("2024-03-01", undefined, now)).toEqual({
      start: new Date("2024-03-01T00:00:00.000Z"),
      end: new Date("2024-03-04T23:59:59.999Z"),
      startMicros: 0,
      endMicros: 999,
    });
    expect(resolveInterval(undefined, "2024-03-04 12:00:00.000002", now)).toEqual({
      start: new Date("2024-03-04T00:00:00.000Z"),
      end: new Date("2024-03-04T12:00:00.000Z"),
      startMicros: 0,
      endMicros: 2,
    });
  });

  it("a start equal to the end is an interval; a start one microsecond later is not", () => {
    expect(resolveInterval("2024-01-02 03:04:05.000001", "2024-01-02 03:04:05.000001", now)).toEqual({
      start: new Date("2024-01-02T03:04:05.000Z"),
      end: new Date("2024-01-02T03:04:05.000Z"),
      startMicros: 1,
      endMicros: 1,
    });
    // A date alone is 00:00:00 of that day at either end, as the reference reads it.
    expect(resolveInterval("2024-01-02", "2024-01-02", now)).toEqual({
      start: new Date("2024-01-02T00:00:00.000Z"),
      end: new Date("2024-01-02T00:00:00.000Z"),
      startMicros: 0,
      endMicros: 0,
    });
    expect(resolveInterval("2024-01-02 03:04:05.000998", "2024-01-02 03:04:05.000999", now).startMicros).toBe(998);
    // The reference names both ends to the second, even when they differ by a microsecond.
    expect(orderError(() => resolveInterval("2024-01-02 03:04:05.000002", "2024-01-02 03:04:05.000001", now))).toBe(
      order("2024-01-02 03:04:05", "2024-01-02 03:04:05"),
    );
    // A later millisecond outweighs smaller microseconds.
    expect(orderError(() => resolveInterval("2024-01-02 03:04:05.001000", "2024-01-02 03:04:05.000999", now))).toBe(
      order("2024-01-02 03:04:05", "2024-01-02 03:04:05"),
    );
    expect(resolveInterval("2024-01-02 03:04:05.000999", "2024-01-02 03:04:05.001000", now).endMicros).toBe(0);
    expect(orderError(() => resolveInterval("2024-01-03", "2024-01-02", now))).toBe(
      order("2024-01-03 00:00:00", "2024-01-02 00:00:00"),
    );
    // A start a second after a date-alone end.
    expect(orderError(() => resolveInterval("2024-01-02 00:00:01", "2024-01-02", now))).toBe(
      order("2024-01-02 00:00:01", "2024-01-02 00:00:00"),
    );
    // After the default end (the last microsecond of yesterday).
    expect(orderError(() => resolveInterval("2024-03-05", undefined, now))).toBe(
      order("2024-03-05 00:00:00", "2024-03-04 23:59:59"),
    );
  });

  it("names values by the labels it is given", () => {
    const labels = { start: "BRUIN_START_DATE", end: "BRUIN_END_DATE" };
    expect(usageError(() => resolveInterval("soon", undefined, now, labels)).message).toBe(
      `invalid BRUIN_START_DATE 'soon': ${expectedForms}`,
    );
    expect(usageError(() => resolveInterval(undefined, "later", now, labels)).message).toBe(
      `invalid BRUIN_END_DATE 'later': ${expectedForms}`,
    );
    expect(usageError(() => resolveInterval("soon", undefined, now)).message).toBe(
      `invalid --start-date 'soon': ${expectedForms}`,
    );
    expect(usageError(() => resolveInterval(undefined, "later", now)).message).toBe(
      `invalid --end-date 'later': ${expectedForms}`,
    );
  });
});

describe("intervalFrom", () => {
  const now = new Date("2024-03-05T10:20:30Z");

  it("takes the flags before the variables", () => {
    const interval = intervalFrom(
      { startDate: "2024-06-01", endDate: "2024-06-02" },
      { BRUIN_START_DATE: "2024-05-01", BRUIN_END_DATE: "2024-05-02" },
      now,
    );
    expect(intervalInstants(interval)).toEqual({
      start: { date: new Date("2024-06-01T00:00:00.000Z"), micros: 0 },
      end: { date: new Date("2024-06-02T00:00:00.000Z"), micros: 0 },
    });
  });

  it("takes BRUIN_START_DATE / BRUIN_END_DATE when a flag is absent, trimmed", () => {
    const interval = intervalFrom(
      { endDate: "2024-05-03" },
      { BRUIN_START_DATE: " 2024-05-01 10:00:00 ", BRUIN_END_DATE: "2024-05-02" },
      now,
    );
    expect(interval).toEqual({
      start: new Date("2024-05-01T10:00:00.000Z"),
      end: new Date("2024-05-03T00:00:00.000Z"),
      startMicros: 0,
      endMicros: 0,
    });
    expect(intervalFrom({ startDate: "2024-05-01" }, { BRUIN_END_DATE: "2024-05-02" }, now).end).toEqual(
      new Date("2024-05-02T00:00:00.000Z"),
    );
  });

  it("an unset or blank variable means the default", () => {
    const yesterday = resolveInterval(undefined, undefined, now);
    expect(intervalFrom({}, {}, now)).toEqual(yesterday);
    expect(intervalFrom({ startDate: undefined, endDate: undefined }, { BRUIN_START_DATE: "  " }, now)).toEqual(
      yesterday,
    );
    expect(intervalFrom({}, { BRUIN_START_DATE: "", BRUIN_END_DATE: "" }, now)).toEqual(yesterday);
  });

  it("names a bad value by the flag or the variable it came from", () => {
    expect(usageError(() => intervalFrom({}, { BRUIN_END_DATE: "soon" }, now)).message).toBe(
      `invalid BRUIN_END_DATE 'soon': ${expectedForms}`,
    );
    expect(usageError(() => intervalFrom({}, { BRUIN_START_DATE: "soon" }, now)).message).toBe(
      `invalid BRUIN_START_DATE 'soon': ${expectedForms}`,
    );
    expect(usageError(() => intervalFrom({ endDate: "soon" }, { BRUIN_END_DATE: "2024-01-01" }, now)).message).toBe(
      `invalid --end-date 'soon': ${expectedForms}`,
    );
    expect(usageError(() => intervalFrom({ startDate: "soon" }, {}, now)).message).toBe(
      `invalid --start-date 'soon': ${expectedForms}`,
    );
    expect(orderError(() => intervalFrom({ startDate: "2024-01-03" }, { BRUIN_END_DATE: "2024-01-02" }, now))).toBe(
      order("2024-01-03 00:00:00", "2024-01-02 00:00:00"),
    );
    expect(orderError(() => intervalFrom({ endDate: "2024-01-02" }, { BRUIN_START_DATE: "2024-01-03" }, now))).toBe(
      order("2024-01-03 00:00:00", "2024-01-02 00:00:00"),
    );
  });

  it("the clock defaults to now", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2023-07-10T05:00:00Z") });
    expect(intervalFrom({}, {}).start).toEqual(new Date("2023-07-09T00:00:00.000Z"));
  });
});

describe("formatInstant", () => {
  it("prints seconds alone when there is no fraction", () => {
    expect(formatInstant(new Date("2024-01-02T03:04:05.000Z"))).toBe("2024-01-02T03:04:05Z");
    expect(formatInstant({ date: new Date("2024-01-02T03:04:05.000Z"), micros: 0 })).toBe("2024-01-02T03:04:05Z");
  });

  it("prints the fraction to the microsecond, zero-padded", () => {
    expect(formatInstant(new Date("2024-01-02T03:04:05.5Z"))).toBe("2024-01-02T03:04:05.500000Z");
    expect(formatInstant(new Date("2024-01-02T03:04:05.007Z"))).toBe("2024-01-02T03:04:05.007000Z");
    expect(formatInstant({ date: new Date("2024-01-02T03:04:05.000Z"), micros: 1 })).toBe(
      "2024-01-02T03:04:05.000001Z",
    );
    expect(formatInstant({ date: new Date("2024-01-02T03:04:05.040Z"), micros: 30 })).toBe(
      "2024-01-02T03:04:05.040030Z",
    );
    expect(formatInstant({ date: new Date("2024-12-31T23:59:59.999Z"), micros: 999 })).toBe(
      "2024-12-31T23:59:59.999999Z",
    );
  });

  it("round-trips what parseInstant reads", () => {
    for (const text of ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000001Z", "2024-01-02T03:04:05.654321Z"])
      expect(formatInstant(parseInstant(text, "f"))).toBe(text);
  });
});

describe("intervalInstants", () => {
  it("pairs each end with its microseconds", () => {
    const start = new Date("2024-01-02T00:00:00.001Z");
    const end = new Date("2024-01-03T00:00:00.002Z");
    expect(intervalInstants({ start, end, startMicros: 3, endMicros: 4 })).toEqual({
      start: { date: start, micros: 3 },
      end: { date: end, micros: 4 },
    });
  });
});
