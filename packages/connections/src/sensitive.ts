import type { ConnectionSecret } from "@bruin-ts/secrets-core";
import { TYPE_SPECS } from "./schemas.js";
import type { ValidatedConnection } from "./types.js";
import { canonicalType } from "./validate.js";

/** The fields of a type (or alias) that hold secrets; empty for an unknown type. */
export function sensitiveFields(type: string): readonly string[] {
  const canonical = canonicalType(type);
  return canonical ? TYPE_SPECS[canonical].sensitive : [];
}

/**
 * The values a redactor must mask for this secret, before it is validated.
 * For an unknown type we cannot tell which fields are secret, so every string
 * in the details is returned. Never throws, whatever shape the secret has.
 */
export function sensitiveValues(secret: ConnectionSecret): unknown[] {
  return sensitiveFieldValues(secret).map((entry) => entry.value);
}

/**
 * `sensitiveValues` with the field each value is in (for an unknown type,
 * the top-level field a string was found under), so that a value too short to
 * be masked can be named by its field.
 */
export function sensitiveFieldValues(secret: ConnectionSecret): Array<{ field: string; value: unknown }> {
  const details = secret.details as unknown;
  if (details === null || typeof details !== "object") return [];
  const record = details as Record<string, unknown>;
  const canonical = canonicalType(secret.type);
  if (!canonical) {
    return Object.entries(record).flatMap(([field, value]) =>
      stringLeaves(value).map((leaf) => ({ field, value: leaf })),
    );
  }
  const values: Array<{ field: string; value: unknown }> = [];
  for (const field of TYPE_SPECS[canonical].sensitive) {
    const value = record[field];
    if (value !== undefined && value !== null && value !== "") values.push({ field, value });
  }
  return values;
}

/** Names of the fields that hold a value, known fields in schema order first, then extra fields. */
export function filledFields(connection: ValidatedConnection): string[] {
  const known = TYPE_SPECS[connection.type].fields;
  const hasValue = (field: string) => {
    const value = connection.details[field];
    return value !== undefined && value !== null && value !== "";
  };
  const extra = Object.keys(connection.details).filter((field) => !known.includes(field));
  return [...known.filter(hasValue), ...extra.filter(hasValue)];
}

function stringLeaves(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") {
    if (value !== "") into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) stringLeaves(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) stringLeaves(item, into);
  }
  return into;
}
