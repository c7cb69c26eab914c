import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DUCKDB_CONFIG, readDuckDB, runBruin, scratchRepo, sqlAsset, writeTree } from "./test-support/run-cli.js";

/**
 * The run interval as `-o json` reports it and as templates see it: every
 * accepted date format, BRUIN_START_DATE / BRUIN_END_DATE, and the default
 * interval (yesterday, UTC) at a fixed clock.
 */
const VARIABLES = ["start_date", "end_date", "start_datetime", "end_datetime", "start_timestamp", "end_timestamp"];

function datesPipeline(): { dir: string; db: string } {
  const root = scratchRepo("bruin-dates-");
  writeTree(root, {
    ".bruin.yml": DUCKDB_CONFIG,
    "p/pipeline.yml": "name: dates\n",
    "p/assets/seen.sql": sqlAsset(
      "name: seen\ntype: duckdb.sql\nmaterialization: {type: table}",
      `SELECT ${VARIABLES.map((v) => `'{{ ${v} }}' AS ${v}`).join(", ")}`,
    ),
  });
  return { dir: path.join(root, "p"), db: path.join(root, "db.duckdb") };
}

async function runDates(args: string[], env: Record<string, string> = {}) {
  const { dir, db } = datesPipeline();
  const result = await runBruin(["run", dir, "-o", "json", ...args], { env });
  if (result.code !== 0) return { code: result.code, stderr: result.stderr, interval: undefined, seen: undefined };
  const document = JSON.parse(result.stdout) as { interval: { start: string; end: string } };
  const [seen] = await readDuckDB(db, `SELECT ${VARIABLES.join(", ")} FROM seen`);
  return { code: result.code, stderr: result.stderr, interval: document.interval, seen };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the default interval at a fixed clock: yesterday, 00:00:00 to 23:59:59.999999 UTC", () => {
  for (const [now, day] of [
    ["2024-03-05T10:20:30.123Z", "2024-03-04"],
    ["2024-03-05T00:00:00.000Z", "2024-03-04"],
    ["2024-03-05T23:59:59.999Z", "2024-03-04"],
    // Across a month (leap day) and a year.
    ["2024-03-01T08:00:00.000Z", "2024-02-29"],
    ["2025-01-01T00:30:00.000Z", "2024-12-31"],
  ] as const) {
    it(`at ${now} it is ${day}`, async () => {
      vi.useFakeTimers({ toFake: ["Date"], now: new Date(now) });
      const result = await runDates([]);
      expect(result.code).toBe(0);
      expect(result.interval).toEqual({ start: `${day}T00:00:00Z`, end: `${day}T23:59:59.999999Z` });
      expect(result.seen).toEqual({
        start_date: day,
        end_date: day,
        start_datetime: `${day}T00:00:00`,
        end_datetime: `${day}T23:59:59`,
        start_timestamp: `${day}T00:00:00.000000Z`,
        end_timestamp: `${day}T23:59:59.999999Z`,
      });
    });
  }

  it("one given end of the interval keeps the default for the other", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2024-03-05T10:00:00Z") });
    const start = await runDates(["--start-date", "2024-03-01"]);
    expect(start.interval).toEqual({ start: "2024-03-01T00:00:00Z", end: "2024-03-04T23:59:59.999999Z" });
    const end = await runDates(["--end-date", "2024-03-04 12:00:00"]);
    expect(end.interval).toEqual({ start: "2024-03-04T00:00:00Z", end: "2024-03-04T12:00:00Z" });
  });
});

describe("date formats", () => {
  for (const [start, end, expected, seen] of [
    // A date alone: the start of the day, as --end-date too (the reference's reading).
    [
      "2024-01-02",
      "2024-01-03",
      { start: "2024-01-02T00:00:00Z", end: "2024-01-03T00:00:00Z" },
      ["2024-01-02", "2024-01-03T00:00:00", "2024-01-03T00:00:00.000000Z"],
    ],
    // A time without a zone is UTC; the fraction is kept to the microsecond.
    [
      "2024-01-02 03:04:05",
      "2024-01-02 06:07:08.123456",
      { start: "2024-01-02T03:04:05Z", end: "2024-01-02T06:07:08.123456Z" },
      ["2024-01-02", "2024-01-02T06:07:08", "2024-01-02T06:07:08.123456Z"],
    ],
    [
      "2024-01-02 03:04:05.5",
      "2024-01-02 03:04:06.1234567",
      { start: "2024-01-02T03:04:05.500000Z", end: "2024-01-02T03:04:06.123456Z" },
      ["2024-01-02", "2024-01-02T03:04:06", "2024-01-02T03:04:06.123456Z"],
    ],
    // ISO with T and a zone, converted to UTC.
    ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05+02:00", undefined, undefined],
    [
      "2024-01-02T01:00:00+02:00",
      "2024-01-02T10:00:00-0130",
      { start: "2024-01-01T23:00:00Z", end: "2024-01-02T11:30:00Z" },
      ["2024-01-01", "2024-01-02T11:30:00", "2024-01-02T11:30:00.000000Z"],
    ],
  ] as const) {
    it(`--start-date '${start}' --end-date '${end}'`, async () => {
      const result = await runDates(["--start-date", start, "--end-date", end]);
      if (!expected) {
        // 03:04:05+02:00 is 01:04:05Z, before the start: the reference's message, exit 1.
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
          "Start date cannot be after end date. Given start date: 2024-01-02 03:04:05, end date: 2024-01-02 01:04:05",
        );
        return;
      }
      expect(result.code).toBe(0);
      expect(result.interval).toEqual(expected);
      expect([result.seen?.start_date, result.seen?.end_datetime, result.seen?.end_timestamp]).toEqual(seen);
    });
  }

  for (const bad of [
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-1-2",
    "02/01/2024",
    "2024-01-02 25:00:00",
    "yesterday",
  ]) {
    it(`rejects '${bad}' with exit code 2, naming the flag`, async () => {
      const result = await runDates(["--start-date", bad]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`invalid --start-date '${bad}'`);
    });
  }
});

describe("BRUIN_START_DATE and BRUIN_END_DATE", () => {
  it("set the interval when the flags are absent", async () => {
    const result = await runDates([], { BRUIN_START_DATE: "2024-05-01", BRUIN_END_DATE: "2024-05-02 10:00:00" });
    expect(result.code).toBe(0);
    expect(result.interval).toEqual({ start: "2024-05-01T00:00:00Z", end: "2024-05-02T10:00:00Z" });
    expect(result.seen?.start_date).toBe("2024-05-01");
    expect(result.seen?.end_datetime).toBe("2024-05-02T10:00:00");
  });

  it("give way to the flags", async () => {
    const result = await runDates(["--start-date", "2024-06-01", "--end-date", "2024-06-02"], {
      BRUIN_START_DATE: "2024-05-01",
      BRUIN_END_DATE: "2024-05-02",
    });
    expect(result.interval).toEqual({ start: "2024-06-01T00:00:00Z", end: "2024-06-02T00:00:00Z" });
  });

  it("a date alone in BRUIN_END_DATE is 00:00:00 of that day", async () => {
    const result = await runDates(["--start-date", "2024-05-01"], { BRUIN_END_DATE: "2024-05-02" });
    expect(result.interval).toEqual({ start: "2024-05-01T00:00:00Z", end: "2024-05-02T00:00:00Z" });
    expect(result.seen?.end_datetime).toBe("2024-05-02T00:00:00");
  });

  it("a malformed value is named by its variable, with exit code 2", async () => {
    const result = await runDates([], { BRUIN_END_DATE: "soon" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("invalid BRUIN_END_DATE 'soon'");
  });
});
