import type { RunInterval } from "../render.js";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `2024-03-05` (UTC). */
export function utcDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `2024-03-05 23:59:59.999999` (UTC); `micros` are those past the millisecond. */
export function utcTimestamp(d: Date, micros = 0): string {
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${utcDate(d)} ${time}.${pad(d.getUTCMilliseconds(), 3)}${pad(micros, 3)}`;
}

/** The run interval's bounds as the time_interval strategy compares them: dates, or timestamps to the microsecond. */
export function intervalBounds(interval: RunInterval, granularity: "date" | "timestamp"): [string, string] {
  if (granularity === "date") return [utcDate(interval.start), utcDate(interval.end)];
  return [utcTimestamp(interval.start, interval.startMicros), utcTimestamp(interval.end, interval.endMicros)];
}
