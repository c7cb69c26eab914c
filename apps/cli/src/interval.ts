import { EXIT, UsageError } from "./errors.js";

/**
 * The run interval. A Date holds milliseconds only, so the microseconds past
 * the millisecond (0–999) that the user gave travel beside it: templates see
 * `11:00:00.654321` for `--end-date '… 11:00:00.654321'`.
 */
export interface Interval {
  start: Date;
  end: Date;
  startMicros: number;
  endMicros: number;
}

/** An instant to the microsecond: a Date plus the microseconds past its millisecond (0–999). */
export interface Instant {
  date: Date;
  micros: number;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.ffffff]` and ISO timestamps with
 * `T` and a zone; times without a zone are UTC. A date alone means the start
 * of that day, or with `endOfDay` its last microsecond (23:59:59.999999).
 * Digits past the microsecond are dropped.
 */
export function parseInstant(value: string, flag: string, endOfDay = false): Instant {
  const text = value.trim();
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [, y, m, d] = dateOnly;
    const date = new Date(
      Date.UTC(
        Number(y),
        Number(m) - 1,
        Number(d),
        endOfDay ? 23 : 0,
        endOfDay ? 59 : 0,
        endOfDay ? 59 : 0,
        endOfDay ? 999 : 0,
      ),
    );
    // A day past the month's end (or 00) rolls over into another month: no such date.
    if (
      date.getUTCMonth() === Number(m) - 1 &&
      // Stryker disable next-line ConditionalExpression: equivalent: a day that rolls over always moves the month too, which the line above catches
      date.getUTCDate() === Number(d)
    )
      return { date, micros: endOfDay ? 999 : 0 };
  } else {
    const parts = DATE_TIME.exec(text);
    if (parts) {
      const fraction = (parts[7] ?? "").padEnd(6, "0").slice(0, 6);
      // Stryker disable next-line Regex,MethodExpression: equivalent: V8 reads a fraction of any length and truncates it to the millisecond, as this cut does
      const iso = text.replace(" ", "T").replace(/\.\d+/, `.${fraction.slice(0, 3)}`);
      const zoned = parts[8] ? iso : `${iso}Z`;
      const date = new Date(zoned);
      if (!Number.isNaN(date.getTime())) return { date, micros: Number(fraction.slice(3)) };
    }
  }
  throw new UsageError(
    `invalid ${flag} '${value}': expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS[.ffffff]' or an ISO timestamp such as 2024-01-01T00:00:00Z`,
  );
}

/**
 * A start after the end: the reference's message, exit 1 (the reference
 * fails the command rather than calling it a usage mistake).
 */
export class IntervalOrderError extends Error {
  readonly exitCode = EXIT.failed;
}

/** `2024-01-02 03:04:05`: how the reference names the two ends of an interval in the wrong order. */
function plainSeconds(instant: Instant): string {
  return instant.date.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * The run interval: the flags, else yesterday from 00:00:00 to
 * 23:59:59.999999 UTC. A date alone means 00:00:00 of that day, for the end
 * as for the start (as the reference reads `--end-date 2024-01-31`); only the
 * default end is the last microsecond of yesterday.
 */
export function resolveInterval(
  startFlag: string | undefined,
  endFlag: string | undefined,
  now = new Date(),
  labels = { start: "--start-date", end: "--end-date" },
): Interval {
  const yesterday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  const day = yesterday.toISOString().slice(0, 10);
  const start = parseInstant(startFlag || day, labels.start);
  const end = endFlag ? parseInstant(endFlag, labels.end) : parseInstant(day, labels.end, true);
  const interval = { start: start.date, end: end.date, startMicros: start.micros, endMicros: end.micros };
  if (start.date.getTime() * 1000 + start.micros > end.date.getTime() * 1000 + end.micros) {
    throw new IntervalOrderError(
      `Start date cannot be after end date. Given start date: ${plainSeconds(start)}, end date: ${plainSeconds(end)}`,
    );
  }
  return interval;
}

/**
 * The interval from `--start-date`/`--end-date`, else `BRUIN_START_DATE`/
 * `BRUIN_END_DATE`; a message about a value names where it came from.
 */
export function intervalFrom(
  flags: { startDate?: string | undefined; endDate?: string | undefined },
  env: Record<string, string | undefined>,
  now = new Date(),
): Interval {
  const pick = (flag: string | undefined, flagName: string, variable: string) =>
    flag !== undefined
      ? { value: flag, label: flagName }
      : { value: env[variable]?.trim() || undefined, label: variable };
  const start = pick(flags.startDate, "--start-date", "BRUIN_START_DATE");
  const end = pick(flags.endDate, "--end-date", "BRUIN_END_DATE");
  return resolveInterval(start.value, end.value, now, { start: start.label, end: end.label });
}

/**
 * `2024-01-01T00:00:00Z`, the form the reference CLI prints, with the
 * fraction of a second to the microsecond when there is one:
 * `2024-01-01T23:59:59.999999Z`.
 */
export function formatInstant(instant: Instant | Date): string {
  const { date, micros } = instant instanceof Date ? { date: instant, micros: 0 } : instant;
  const seconds = date.toISOString().slice(0, 19);
  const fraction = `${String(date.getUTCMilliseconds()).padStart(3, "0")}${String(micros).padStart(3, "0")}`;
  return fraction === "000000" ? `${seconds}Z` : `${seconds}.${fraction}Z`;
}

/** The start and end of an interval as instants. */
export function intervalInstants(interval: Interval): { start: Instant; end: Instant } {
  return {
    start: { date: interval.start, micros: interval.startMicros },
    end: { date: interval.end, micros: interval.endMicros },
  };
}
