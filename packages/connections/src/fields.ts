import { z } from "zod";

/**
 * Field builders shared by the per-type schemas. Values often arrive as
 * strings (a `${VAR}` expanded in YAML, a secret stored as text), so numbers
 * and booleans also accept their string spelling; anything else is rejected
 * with an issue whose message `validate.ts` builds without the value.
 */

/** "5432" → 5432; other values pass through untouched to fail the number check. */
function numericString(value: unknown): unknown {
  // Stryker disable next-line Regex: equivalent: without an anchor the pattern lets through strings like "x5432", whose Number() is NaN, which the number check rejects as before
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) return Number(value);
  return value;
}

/** "true"/"false" (any case) → boolean. */
function booleanString(value: unknown): unknown {
  if (typeof value === "string") {
    const lowered = value.trim().toLowerCase();
    if (lowered === "true") return true;
    if (lowered === "false") return false;
  }
  return value;
}

export const requiredString = () => z.string().min(1);
export const optionalString = () => z.string().optional();

export const integer = (min: number, max: number) => z.preprocess(numericString, z.number().int().min(min).max(max));

export const port = (defaultPort: number) => integer(1, 65535).default(defaultPort);

export const optionalBoolean = () => z.preprocess(booleanString, z.boolean()).optional();

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional();

/** A value that may be given as a JSON string or inline as an object (service account JSON, driver options). */
export const stringOrObject = () => z.union([z.string(), z.record(z.string(), z.unknown())]).optional();

/** Adds a custom issue on `field`; the message is ours, so it never carries a value. */
export function requireField(ctx: z.RefinementCtx, field: string, message: string): void {
  ctx.addIssue({ code: "custom", path: [field], message });
}

/** Whether a field holds something (empty strings count as absent). */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}
