/**
 * One class per way a secrets backend can fail. Every error carries the exit
 * code a CLI should use and the context it happened in (backend, connection,
 * where it looked) but never a secret value: messages are built from names,
 * field paths and locations only.
 */
export type SecretsErrorKind =
  | "configuration"
  | "authentication"
  | "permission"
  | "not_found"
  | "unparsable"
  | "invalid"
  | "unavailable";

export interface SecretsErrorContext {
  /** The backend id, e.g. "infisical". */
  backend: string;
  /** The connection the failure concerns, if any. */
  connection?: string;
  /** Where the backend looked, e.g. "project p1, environment dev, path /". */
  location?: string;
  /** What to check next, one short sentence. */
  hint?: string;
  /** The exit code; defaults to 3 (a secrets backend failure). */
  exitCode?: number;
  /** Extra detail shown with --verbose; must never hold a value. */
  detail?: string;
}

export const EXIT_SECRETS_BACKEND = 3;

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
    this.exitCode = context.exitCode ?? EXIT_SECRETS_BACKEND;
  }

  /** The message with connection, location and hint, on one line. */
  describe(): string {
    const parts = [this.message];
    if (this.connection !== undefined && !this.message.includes(`'${this.connection}'`)) {
      parts.push(`connection '${this.connection}'`);
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
  constructor(message: string, context: SecretsErrorContext & { field?: string }, options?: { cause?: unknown }) {
    super(message, context, options);
    this.field = context.field;
  }
}
/** The backend could not be reached or kept failing (outage, timeouts, rate limits). */
export class UnavailableError extends SecretsError {
  readonly kind = "unavailable" as const;
}

export function isSecretsError(value: unknown): value is SecretsError {
  return value instanceof SecretsError;
}
