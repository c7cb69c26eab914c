import { isRecord } from "./asset-fields.js";
import type { RunInterval } from "./render.js";

/**
 * `interval_modifiers:` of an asset (or of the pipeline's `default:`): shifts
 * of the run's start and end for that asset, each a whole number and one unit
 * (`-2h`, `1d`, `-1M`, `500ms`), or a Jinja template that renders to one.
 * They apply only when the run asks for them (`--apply-interval-modifiers`).
 */
export interface IntervalModifiers {
  start?: string;
  end?: string;
}

type Unit = "ns" | "ms" | "s" | "m" | "h" | "d" | "M";

const SHIFT = /^([+-]?\d+)(ns|ms|s|m|h|d|M)$/;

/** Microseconds in one of each fixed-length unit (months are calendar months). */
const MICROS: Record<Exclude<Unit, "M">, number> = {
  ns: 0.001,
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};

const EXAMPLES = "a whole number and one unit of ns, ms, s, m, h, d or M, such as -2h, 1d or -1M";

function isTemplate(text: string): boolean {
  return text.includes("{{") || text.includes("{%");
}

/** `-2h` → {amount: -2, unit: "h"}; `0` or an empty text is no shift; anything else is undefined. */
function parseShift(text: string): { amount: number; unit: Unit } | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || /^[+-]?0+$/.test(trimmed)) return { amount: 0, unit: "s" };
  const match = SHIFT.exec(trimmed);
  if (!match) return undefined;
  return { amount: Number(match[1]), unit: match[2] as Unit };
}

/** Reads an `interval_modifiers` mapping; a literal shift in a wrong format is reported now, a template when it renders. */
export function readIntervalModifiers(
  value: unknown,
  field: string,
  report: (message: string) => void,
): IntervalModifiers | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    report(`'${field}' must be a mapping with 'start' and/or 'end'`);
    return undefined;
  }
  const modifiers: IntervalModifiers = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key !== "start" && key !== "end") {
      report(`'${field}' takes only 'start' and 'end', not '${key}'`);
      continue;
    }
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== "string" && typeof raw !== "number") {
      report(`'${field}.${key}' must be ${EXAMPLES}`);
      continue;
    }
    const text = String(raw);
    if (!isTemplate(text) && !parseShift(text)) {
      report(`'${field}.${key}' is '${text}'; it must be ${EXAMPLES}`);
      continue;
    }
    modifiers[key] = text;
  }
  return modifiers.start === undefined && modifiers.end === undefined ? undefined : modifiers;
}

interface Instant {
  date: Date;
  micros: number;
}

function shiftInstant(instant: Instant, amount: number, unit: Unit): Instant {
  if (amount === 0) return instant;
  if (unit === "M") {
    const date = new Date(instant.date.getTime());
    // Calendar months, overflowing into the next month as the reference does (31 Jan + 1M = 3 Mar or 2 Mar).
    date.setUTCMonth(date.getUTCMonth() + amount);
    return { date, micros: instant.micros };
  }
  const total = instant.date.getTime() * 1000 + instant.micros + Math.trunc(amount * MICROS[unit]);
  const millis = Math.floor(total / 1000);
  return { date: new Date(millis), micros: total - millis * 1000 };
}

function formatInstant({ date, micros }: Instant): string {
  return `${date.toISOString().slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
}

/**
 * The interval an asset runs for once its modifiers are applied. `render`
 * renders a templated modifier with the run's own (unmodified) context.
 * Throws when a modifier renders to no valid shift, or when the shifted start
 * is after the shifted end.
 */
export function applyIntervalModifiers(
  interval: RunInterval,
  modifiers: IntervalModifiers,
  render: (text: string, side: "start" | "end") => string,
  assetName: string,
): RunInterval {
  const shifted = (side: "start" | "end", instant: Instant): Instant => {
    const text = modifiers[side];
    if (text === undefined) return instant;
    const rendered = isTemplate(text) ? render(text, side) : text;
    const shift = parseShift(rendered);
    if (!shift) {
      throw new Error(
        `asset '${assetName}': interval_modifiers.${side} rendered to '${rendered.trim()}'; it must be ${EXAMPLES}`,
      );
    }
    return shiftInstant(instant, shift.amount, shift.unit);
  };
  const start = shifted("start", { date: interval.start, micros: interval.startMicros ?? 0 });
  const end = shifted("end", { date: interval.end, micros: interval.endMicros ?? 0 });
  if (start.date.getTime() * 1000 + start.micros > end.date.getTime() * 1000 + end.micros) {
    throw new Error(
      `asset '${assetName}': with its interval modifiers the start date ${formatInstant(start)} is after the end date ${formatInstant(end)}`,
    );
  }
  return {
    start: start.date,
    end: end.date,
    ...(start.micros ? { startMicros: start.micros } : {}),
    ...(end.micros ? { endMicros: end.micros } : {}),
  };
}
