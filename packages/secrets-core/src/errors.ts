/**
 * One class per way a secrets backend can fail. Every error carries the exit
 * code a CLI should use and the context it happened in (backend, connection,
 * where it looked) but never a secret value: messages are built from names,
 * field paths and locations only.
 */
import { EXIT_CODES } from "./exit-codes.js";

export type SecretsErrorKind =
  | "configuration"
  | "authentication"
  | "permission"
  | "not_found"
  | "unparsable"
  | "invalid"
  | "unavailable"
  | "interrupted";

export interface SecretsErrorContext {
  /** The backend id, e.g. "infisical". */
  backend: string;
  /** The connection the failure concerns, if any. */
  connection?: string | undefined;
  /** Where the backend looked, e.g. "project p1, environment dev, path /". */
  location?: string | undefined;
  /** What to check next, one short sentence. */
  hint?: string | undefined;
  /** The exit code; defaults to `EXIT_CODES.secretsBackend` (3). */
  exitCode?: number | undefined;
  /** Extra detail shown with --verbose; must never hold a value. */
  detail?: string | undefined;
}

export { EXIT_CODES, type ExitCode } from "./exit-codes.js";

/** @deprecated Use `EXIT_CODES.secretsBackend`. */
export const EXIT_SECRETS_BACKEND = EXIT_CODES.secretsBackend;
/** @deprecated Use `EXIT_CODES.interrupted`. */
export const EXIT_INTERRUPTED = EXIT_CODES.interrupted;

/** The largest secret value a backend accepts (1 MiB, in UTF-8 bytes); a larger one is refused before parsing. */
export const MAX_SECRET_BYTES = 1024 * 1024;
/** The most a backend reads of any single answer from a secrets server (16 MiB); past it the answer is refused. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export abstract class SecretsError extends Error {
  abstract readonly kind: SecretsErrorKind;
  readonly backend: string;
  readonly connection: string | undefined;
  readonly location: string | undefined;
  readonly hint: string | undefined;
  readonly detail: string | undefined;
  readonly exitCode: number;

  constructor(message: string, context: SecretsErrorContext, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.backend = context.backend;
    this.connection = context.connection;
    this.location = context.location;
    this.hint = context.hint;
    this.detail = context.detail;
    this.exitCode = context.exitCode ?? EXIT_CODES.secretsBackend;
  }

  /** The message with connection, location and hint, on one line. */
  describe(): string {
    const parts = [this.message];
    if (this.connection !== undefined && !this.message.includes(`'${this.connection}'`)) {
      parts.push(`connection '${displayName(this.connection)}'`);
    }
    if (this.location) parts.push(this.location);
    let line = parts.join("; ");
    if (this.hint) line += `. ${this.hint}`;
    return line;
  }
}

/** The backend is not set up: a missing variable, a bad URL, an unreadable config file. */
export class ConfigurationError extends SecretsError {
  readonly kind = "configuration" as const;
}
/** The backend refused our identity: wrong credentials, expired or used-up client secret. */
export class AuthenticationError extends SecretsError {
  readonly kind = "authentication" as const;
}
/** The identity is known but may not read what was asked for. */
export class PermissionError extends SecretsError {
  readonly kind = "permission" as const;
}
/** The connection, or the place it should be in, does not exist. */
export class NotFoundError extends SecretsError {
  readonly kind = "not_found" as const;
}
/** The stored value is not the JSON `{"type", "details"}` document expected. */
export class UnparsableSecretError extends SecretsError {
  readonly kind = "unparsable" as const;
}
/** The stored connection has an unknown type or an invalid field. */
export class InvalidSecretError extends SecretsError {
  readonly kind = "invalid" as const;
  /** Path of the invalid field inside `details`, when one field is to blame. */
  readonly field: string | undefined;
  constructor(
    message: string,
    context: SecretsErrorContext & { field?: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(message, context, options);
    this.field = context.field;
  }
}
/** The backend could not be reached or kept failing (outage, timeouts, rate limits). */
export class UnavailableError extends SecretsError {
  readonly kind = "unavailable" as const;
}

/**
 * The run was interrupted (Ctrl-C, SIGTERM) while connections were being
 * resolved: the requests in flight were abandoned and nothing ran. Exit 130.
 */
export class InterruptedError extends SecretsError {
  readonly kind = "interrupted" as const;
  constructor(message: string, context: SecretsErrorContext, options?: { cause?: unknown }) {
    super(message, { ...context, exitCode: context.exitCode ?? EXIT_CODES.interrupted }, options);
  }
}

/**
 * Refuses a secret larger than MAX_SECRET_BYTES, before anything parses it:
 * a string by its UTF-8 length, an object or array by the strings it holds
 * (keys included). The message names the connection and the sizes, never the value.
 */
export function checkSecretSize(value: unknown, context: SecretsErrorContext & { connection: string }): void {
  const bytes = secretSize(value, MAX_SECRET_BYTES);
  if (bytes <= MAX_SECRET_BYTES) return;
  throw new UnparsableSecretError(
    `secret of connection '${displayName(context.connection)}' is too large: more than ${formatBytes(MAX_SECRET_BYTES)} (the limit)`,
    {
      hint: "A connection secret holds a small JSON document; store large files elsewhere and reference them by path",
      ...context,
    },
  );
}

/** UTF-8 bytes of the strings in `value`, counted until `limit` is passed. */
function secretSize(value: unknown, limit: number): number {
  if (typeof value === "string") {
    // Cheap bound first: UTF-8 takes at most 3 bytes per UTF-16 code unit.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: equivalent: the bound only skips counting bytes; either branch gives a size on the same side of the limit
    return value.length * 3 <= limit ? value.length : Buffer.byteLength(value, "utf8");
  }
  if (typeof value !== "object" || value === null) return 8;
  let total = 0;
  for (const [key, item] of Object.entries(value)) {
    total += key.length + secretSize(item, limit - total);
    // Stryker disable next-line EqualityOperator: equivalent: stopping at exactly the limit returns the limit, which is still allowed
    if (total > limit) break;
  }
  return total;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `name` cannot be a connection name, or undefined when it can. `.`,
 * `..`, and names with `/`, `\` or control characters are refused: a backend
 * that puts the name into a path or URL would read something else.
 */
export function connectionNameProblem(name: string): string | undefined {
  if (name.trim() === "") return "it is empty";
  if (name === "." || name === "..") return `'${name}' is not a name`;
  if (name.includes("/") || name.includes("\\")) return "it contains '/' or '\\'";
  if (CONTROL.test(name)) return "it contains control characters";
  return undefined;
}

/** A name as it can be printed: control characters are shown as escapes, never written raw to a terminal. */
export function displayName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

export function isSecretsError(value: unknown): value is SecretsError {
  return value instanceof SecretsError;
}
