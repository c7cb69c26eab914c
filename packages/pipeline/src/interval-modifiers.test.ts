import { describe, expect, it } from "vitest";
import { applyIntervalModifiers, readIntervalModifiers } from "./interval-modifiers.js";

const day = { start: new Date("2025-01-10T00:00:00Z"), end: new Date("2025-01-11T00:00:00Z") };
const iso = (interval: { start: Date; end: Date; startMicros?: number; endMicros?: number }) => [
  `${interval.start.toISOString()}+${interval.startMicros ?? 0}us`,
  `${interval.end.toISOString()}+${interval.endMicros ?? 0}us`,
];
const noTemplate = () => {
  throw new Error("no template expected");
};

function read(value: unknown): { modifiers: ReturnType<typeof readIntervalModifiers>; problems: string[] } {
  const problems: string[] = [];
  const modifiers = readIntervalModifiers(value, "interval_modifiers", (message) => problems.push(message));
  return { modifiers, problems };
}

describe("interval_modifiers", () => {
  it("reads start and end, each a whole number and one unit, or a template", () => {
    expect(read({ start: "-2h", end: "1h" })).toEqual({ modifiers: { start: "-2h", end: "1h" }, problems: [] });
    expect(read({ start: 0 })).toEqual({ modifiers: { start: "0" }, problems: [] });
    expect(read({ end: "{% if true %}-1d{% endif %}" }).problems).toEqual([]);
    expect(read(undefined)).toEqual({ modifiers: undefined, problems: [] });
  });

  it("reports every shift it cannot read, naming the field", () => {
    expect(read({ start: "1h30m", end: "90min" }).problems).toEqual([
      "'interval_modifiers.start' is '1h30m'; it must be a whole number and one unit of ns, ms, s, m, h, d or M, such as -2h, 1d or -1M",
      "'interval_modifiers.end' is '90min'; it must be a whole number and one unit of ns, ms, s, m, h, d or M, such as -2h, 1d or -1M",
    ]);
    expect(read({ start: "2h:30m" }).problems).toHaveLength(1);
    expect(read({ middle: "1h" }).problems).toEqual([
      "'interval_modifiers' takes only 'start' and 'end', not 'middle'",
    ]);
    expect(read("-2h").problems).toEqual(["'interval_modifiers' must be a mapping with 'start' and/or 'end'"]);
    expect(read({ start: ["1h"] }).problems).toHaveLength(1);
  });

  it("shifts start and end by each unit, as the reference's example does", () => {
    expect(iso(applyIntervalModifiers(day, { start: "-2h", end: "1h" }, noTemplate, "a"))).toEqual([
      "2025-01-09T22:00:00.000Z+0us",
      "2025-01-11T01:00:00.000Z+0us",
    ]);
    expect(iso(applyIntervalModifiers(day, { start: "-1d", end: "30m" }, noTemplate, "a"))).toEqual([
      "2025-01-09T00:00:00.000Z+0us",
      "2025-01-11T00:30:00.000Z+0us",
    ]);
    expect(iso(applyIntervalModifiers(day, { start: "-90s", end: "-500ms" }, noTemplate, "a"))).toEqual([
      "2025-01-09T23:58:30.000Z+0us",
      "2025-01-10T23:59:59.500Z+0us",
    ]);
    // Nanoseconds shift the microseconds the interval keeps (whole microseconds only).
    expect(iso(applyIntervalModifiers(day, { start: "2500ns", end: "-1000ns" }, noTemplate, "a"))).toEqual([
      "2025-01-10T00:00:00.000Z+2us",
      "2025-01-10T23:59:59.999Z+999us",
    ]);
  });

  it("shifts by calendar months", () => {
    const january = { start: new Date("2025-01-31T00:00:00Z"), end: new Date("2025-03-31T12:00:00Z") };
    expect(iso(applyIntervalModifiers(january, { start: "-1M", end: "-1M" }, noTemplate, "a"))).toEqual([
      "2024-12-31T00:00:00.000Z+0us",
      // 31 February overflows into March, as Go's AddDate does.
      "2025-03-03T12:00:00.000Z+0us",
    ]);
  });

  it("leaves the interval as it is for a zero shift, and keeps its microseconds", () => {
    const precise = { ...day, startMicros: 123, endMicros: 999 };
    expect(applyIntervalModifiers(precise, { start: "0", end: "0h" }, noTemplate, "a")).toEqual(precise);
  });

  it("renders a templated shift with the given renderer, and rejects what it renders to if that is no shift", () => {
    const render = (text: string, side: "start" | "end") => (side === "start" ? "-20d" : `rendered ${text.length}`);
    expect(() => applyIntervalModifiers(day, { start: "{{ x }}", end: "{{ y }}" }, render, "orders")).toThrow(
      "asset 'orders': interval_modifiers.end rendered to 'rendered 7'; it must be a whole number and one unit",
    );
    expect(
      iso(applyIntervalModifiers(day, { start: "{{ x }}" }, (_text, side) => (side === "start" ? "-20d" : ""), "o")),
    ).toEqual(["2024-12-21T00:00:00.000Z+0us", "2025-01-11T00:00:00.000Z+0us"]);
  });

  it("fails when the shifted start is after the shifted end", () => {
    expect(() => applyIntervalModifiers(day, { start: "2d" }, noTemplate, "orders")).toThrow(
      "asset 'orders': with its interval modifiers the start date 2025-01-12T00:00:00.000000Z is after the end date 2025-01-11T00:00:00.000000Z",
    );
  });
});
