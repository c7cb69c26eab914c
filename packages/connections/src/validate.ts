import { InvalidSecretError, type ConnectionSecret } from "@bruin-ts/secrets-core";
import type { z } from "zod";
import { describeIssue, formatPath } from "./issue-messages.js";
import { TYPE_SPECS } from "./schemas.js";
import { typeOfAlias } from "./engines/index.js";
import { CONNECTION_TYPES, type ConnectionType, type ValidatedConnection } from "./types.js";

const MAX_TYPE_LENGTH = 40;

export function isConnectionType(type: unknown): type is ConnectionType {
  // Stryker disable next-line ConditionalExpression: equivalent: includes() compares with ===, so no value other than a string is found
  return typeof type === "string" && (CONNECTION_TYPES as readonly string[]).includes(type);
}

/** The canonical name of a type or alias (`mongo` → `mongodb`); undefined when unknown. */
export function canonicalType(type: unknown): ConnectionType | undefined {
  if (typeof type !== "string") return undefined;
  if (isConnectionType(type)) return type;
  return typeOfAlias(type);
}

export interface ValidateOptions {
  /** The backend id named in errors; defaults to "unknown". */
  backend?: string;
  /** The exit code carried by the error; undefined: the default. */
  exitCode?: number | undefined;
}

/**
 * Checks a secret against its type's schema and applies defaults. Throws an
 * `InvalidSecretError` whose message names the connection, the type and every
 * invalid field, and never contains a value.
 */
export function validateConnection(secret: ConnectionSecret, options: ValidateOptions = {}): ValidatedConnection {
  const context = { backend: options.backend ?? "unknown", connection: secret.name, exitCode: options.exitCode };
  const type = canonicalType(secret.type);
  if (!type) {
    throw new InvalidSecretError(
      `connection '${secret.name}' has unknown type '${printableType(secret.type)}'; supported types: ${CONNECTION_TYPES.join(", ")}`,
      { ...context, field: "type" },
    );
  }
  const details = secret.details as unknown;
  if (details === null || typeof details !== "object" || Array.isArray(details)) {
    throw new InvalidSecretError(
      `connection '${secret.name}' of type '${type}' has invalid details: expected an object of fields`,
      { ...context, field: "details" },
    );
  }
  const result = TYPE_SPECS[type].schema.safeParse(withoutNulls(details as Record<string, unknown>));
  if (!result.success) throw invalidFields(secret.name, type, result.error.issues, details, context);
  return { name: secret.name, type, details: result.data };
}

function invalidFields(
  name: string,
  type: ConnectionType,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  context: { backend: string; connection: string; exitCode: number | undefined },
): InvalidSecretError {
  // One entry per field: the first problem found for a field is enough to act on.
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const path = formatPath(issue.path) || "details";
    if (!byField.has(path)) byField.set(path, describeIssue(issue, input));
  }
  const entries = [...byField];
  const [first] = entries;
  if (entries.length === 1 && first) {
    return new InvalidSecretError(
      `connection '${name}' of type '${type}' has an invalid field '${first[0]}': ${first[1]}`,
      { ...context, field: first[0] },
    );
  }
  const list = entries.map(([field, problem]) => `'${field}': ${problem}`).join("; ");
  return new InvalidSecretError(`connection '${name}' of type '${type}' has invalid fields ${list}`, context);
}

/** A null field (an empty YAML value) means the field was not given. */
function withoutNulls(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== null));
}

function printableType(type: unknown): string {
  const text = String(type).replace(/[^\x20-\x7e]/g, "?");
  return text.length > MAX_TYPE_LENGTH ? `${text.slice(0, MAX_TYPE_LENGTH)}...` : text;
}
