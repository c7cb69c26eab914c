import {
  UsageError
} from "./chunk-EBIUNHAN.js";

// src/interval.ts
var DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
var DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;
function parseDate(value, flag, endOfDay = false) {
  const text = value.trim();
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [, y, m, d] = dateOnly;
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), endOfDay ? 23 : 0, endOfDay ? 59 : 0, endOfDay ? 59 : 0, endOfDay ? 999 : 0));
    if (date.getUTCDate() === Number(d)) return date;
  } else if (DATE_TIME.test(text)) {
    const iso = text.replace(" ", "T");
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`;
    const date = new Date(zoned);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(
    `invalid ${flag} '${value}': expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS[.ffffff]' or an ISO timestamp such as 2024-01-01T00:00:00Z`
  );
}
function resolveInterval(startFlag, endFlag, now = /* @__PURE__ */ new Date()) {
  const yesterday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  const day = yesterday.toISOString().slice(0, 10);
  const start = parseDate(startFlag || day, "--start-date");
  const end = parseDate(endFlag || day, "--end-date", true);
  if (start.getTime() > end.getTime()) {
    throw new UsageError(`--start-date ${formatInstant(start)} is after --end-date ${formatInstant(end)}`);
  }
  return { start, end };
}
function formatInstant(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export {
  resolveInterval,
  formatInstant
};
