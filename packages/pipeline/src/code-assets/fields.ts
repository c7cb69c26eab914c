import { isRecord, type Report } from "../asset-fields.js";
import type { SecretRef } from "../model.js";

/** An environment variable name a secret may be injected as. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `secrets: [{key, inject_as?}]`; `inject_as` defaults to the key, as in the reference CLI. */
export function readSecrets(value: unknown, field: string, report: Report): SecretRef[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report(`'${field}' must be a list of {key, inject_as}`);
    return [];
  }
  const secrets: SecretRef[] = [];
  for (const item of value) {
    const key = isRecord(item) && typeof item.key === "string" ? item.key.trim() : "";
    if (!key) {
      report(`'${field}' items need a 'key' naming a connection`);
      continue;
    }
    const raw = isRecord(item) ? item.inject_as : undefined;
    if (raw !== undefined && raw !== null && typeof raw !== "string") {
      report(`'${field}': 'inject_as' of '${key}' must be a string`);
      continue;
    }
    const injectAs = typeof raw === "string" && raw.trim() !== "" ? raw.trim() : key;
    if (!ENV_NAME.test(injectAs)) {
      report(`'${field}': '${injectAs}' is not a valid environment variable name; set 'inject_as' for '${key}'`);
      continue;
    }
    secrets.push({ key, injectAs });
  }
  return secrets;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `timeout:` as a duration: `90s`, `5m`, `1h30m`, `500ms`, or a bare number of
 * seconds. Returns milliseconds, or undefined (with a report) when unreadable.
 */
export function readTimeout(value: unknown, field: string, report: Report): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value * 1000;
  if (typeof value === "string") {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text) && Number(text) > 0) return Number(text) * 1000;
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (parts.length > 0 && parts.map((p) => p[0]).join("") === text) {
      const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
      if (ms > 0) return ms;
    }
  }
  report(`'${field}' must be a duration such as 30s, 5m or 1h`);
  return undefined;
}

/** Merges the asset's secrets with the pipeline's default ones; the asset's win on the same variable. */
export function mergeSecrets(own: readonly SecretRef[], defaults: readonly SecretRef[]): SecretRef[] {
  const taken = new Set(own.map((s) => s.injectAs));
  return [...own, ...defaults.filter((s) => !taken.has(s.injectAs))];
}

/** The distinct connection names the given assets' `secrets:` ask for, sorted. */
export function secretNames(
  assets: ReadonlyArray<{ unsupported?: string; code?: { secrets: readonly SecretRef[] } }>,
): string[] {
  return [
    ...new Set(assets.filter((a) => !a.unsupported).flatMap((a) => a.code?.secrets.map((s) => s.key) ?? [])),
  ].sort();
}
