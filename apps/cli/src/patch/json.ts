/** A JSON value, as a patch body holds it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isJsonObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
