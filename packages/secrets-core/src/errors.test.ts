import { describe, expect, it } from "vitest";
import type { SecretsError } from "./index.js";
import {
  AuthenticationError,
  ConfigurationError,
  EXIT_INTERRUPTED,
  EXIT_SECRETS_BACKEND,
  InterruptedError,
  InvalidSecretError,
  MAX_RESPONSE_BYTES,
  MAX_SECRET_BYTES,
  NotFoundError,
  PermissionError,
  UnavailableError,
  UnparsableSecretError,
  checkSecretSize,
  connectionNameProblem,
  displayName,
  formatBytes,
  isSecretsError,
} from "./index.js";

const SECRET = "errors-test-SECRET-VALUE-8c1d";

describe("the exit codes and kinds of secrets errors", () => {
  it("a backend failure exits 3 unless told otherwise; an interruption exits 130", () => {
    expect(EXIT_SECRETS_BACKEND).toBe(3);
    expect(EXIT_INTERRUPTED).toBe(130);
    const kinds: [SecretsError, string][] = [
      [new ConfigurationError("m", { backend: "b" }), "configuration"],
      [new AuthenticationError("m", { backend: "b" }), "authentication"],
      [new PermissionError("m", { backend: "b" }), "permission"],
      [new NotFoundError("m", { backend: "b" }), "not_found"],
      [new UnparsableSecretError("m", { backend: "b" }), "unparsable"],
      [new InvalidSecretError("m", { backend: "b" }), "invalid"],
      [new UnavailableError("m", { backend: "b" }), "unavailable"],
    ];
    for (const [error, kind] of kinds) {
      expect(error.kind).toBe(kind);
      expect(error.exitCode).toBe(3);
      expect(error.name).toBe(error.constructor.name);
      expect(isSecretsError(error)).toBe(true);
    }
    expect(new ConfigurationError("m", { backend: "file", exitCode: 2 }).exitCode).toBe(2);
    expect(new InterruptedError("m", { backend: "b" }).exitCode).toBe(130);
    expect(new InterruptedError("m", { backend: "b", exitCode: 7 }).exitCode).toBe(7);
    expect(new InterruptedError("m", { backend: "b" }).kind).toBe("interrupted");
  });

  it("keeps the context and the cause", () => {
    const cause = new Error("socket hang up");
    const error = new InvalidSecretError(
      "bad",
      { backend: "infisical", connection: "pg", location: "path /", hint: "h", detail: "d", field: "port" },
      { cause },
    );
    expect(error).toMatchObject({
      backend: "infisical",
      connection: "pg",
      location: "path /",
      hint: "h",
      detail: "d",
      field: "port",
      message: "bad",
    });
    expect(error.cause).toBe(cause);
  });

  it("isSecretsError is false for other errors and values", () => {
    for (const value of [new Error("x"), "x", null, undefined, { kind: "configuration", exitCode: 3 }])
      expect(isSecretsError(value)).toBe(false);
  });
});

describe("describe(): one line with connection, location and hint", () => {
  it("adds what the message does not say yet, in order", () => {
    const error = new NotFoundError("secret not found", {
      backend: "b",
      connection: "pg",
      location: "project p, environment dev",
      hint: "Check the name",
    });
    expect(error.describe()).toBe("secret not found; connection 'pg'; project p, environment dev. Check the name");
  });

  it("does not repeat a connection the message names already", () => {
    expect(new NotFoundError("connection 'pg' not found", { backend: "b", connection: "pg" }).describe()).toBe(
      "connection 'pg' not found",
    );
    // Named without quotes is not named.
    expect(new NotFoundError("pg missing", { backend: "b", connection: "pg" }).describe()).toBe(
      "pg missing; connection 'pg'",
    );
  });

  it("leaves out what is absent or empty", () => {
    expect(new UnavailableError("down", { backend: "b" }).describe()).toBe("down");
    expect(new UnavailableError("down", { backend: "b", location: "", hint: "" }).describe()).toBe("down");
    expect(new UnavailableError("down", { backend: "b", hint: "Retry later" }).describe()).toBe("down. Retry later");
    expect(new UnavailableError("down", { backend: "b", location: "here" }).describe()).toBe("down; here");
    expect(new UnavailableError("down", { backend: "b", connection: "" }).describe()).toBe("down; connection ''");
  });

  it("shows control characters of a connection name as escapes", () => {
    expect(new NotFoundError("not found", { backend: "b", connection: "a\u001b[31mb" }).describe()).toBe(
      "not found; connection 'a\\u001b[31mb'",
    );
  });
});

describe("names", () => {
  it("displayName escapes C0 and C1 control characters, four hex digits each", () => {
    expect(displayName("plain-name_1")).toBe("plain-name_1");
    expect(displayName("a\nb\tc")).toBe("a\\u000ab\\u0009c");
    expect(displayName("\u0000\u001f\u007f\u009f\u00a0")).toBe("\\u0000\\u001f\\u007f\\u009f\u00a0");
  });

  it("connectionNameProblem refuses empty, dot names, separators and control characters", () => {
    expect(connectionNameProblem("my-postgres")).toBeUndefined();
    expect(connectionNameProblem("a.b")).toBeUndefined();
    expect(connectionNameProblem("...")).toBeUndefined();
    expect(connectionNameProblem("")).toBe("it is empty");
    expect(connectionNameProblem("  ")).toBe("it is empty");
    expect(connectionNameProblem(".")).toBe("'.' is not a name");
    expect(connectionNameProblem("..")).toBe("'..' is not a name");
    expect(connectionNameProblem("a/b")).toBe("it contains '/' or '\\'");
    expect(connectionNameProblem("a\\b")).toBe("it contains '/' or '\\'");
    expect(connectionNameProblem("a\u0007b")).toBe("it contains control characters");
    expect(connectionNameProblem("a\u0085b")).toBe("it contains control characters");
  });
});

describe("sizes", () => {
  it("formatBytes: bytes, KiB and MiB, a decimal only when not whole", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(1024 * 1024 - 1)).toBe("1024.0 KiB");
    expect(formatBytes(1024 * 1024)).toBe("1 MiB");
    expect(formatBytes(1.5 * 1024 * 1024)).toBe("1.5 MiB");
    expect(formatBytes(16 * 1024 * 1024)).toBe("16 MiB");
  });

  it("the limits are 1 MiB per secret and 16 MiB per answer", () => {
    expect(MAX_SECRET_BYTES).toBe(1024 * 1024);
    expect(MAX_RESPONSE_BYTES).toBe(16 * 1024 * 1024);
  });

  it("checkSecretSize counts UTF-8 bytes of strings, exactly at the limit", () => {
    const context = { backend: "b", connection: "big" };
    expect(() => checkSecretSize("a".repeat(MAX_SECRET_BYTES), context)).not.toThrow();
    expect(() => checkSecretSize("a".repeat(MAX_SECRET_BYTES + 1), context)).toThrow(UnparsableSecretError);
    // 3 bytes each in UTF-8: one code unit over a third of the limit is over it.
    const third = Math.floor(MAX_SECRET_BYTES / 3);
    expect(() => checkSecretSize("€".repeat(third), context)).not.toThrow();
    expect(() => checkSecretSize("€".repeat(third + 1), context)).toThrow(UnparsableSecretError);
  });

  it("checkSecretSize counts keys and nested strings of objects and arrays", () => {
    const context = { backend: "b", connection: "big" };
    const half = "a".repeat(MAX_SECRET_BYTES / 2);
    expect(() => checkSecretSize({ details: { password: half } }, context)).not.toThrow();
    expect(() => checkSecretSize({ k: half, l: half }, context)).toThrow(UnparsableSecretError);
    expect(() => checkSecretSize([half, [half]], context)).toThrow(UnparsableSecretError);
    // An exact fit, keys included: "k" + "l" + two strings.
    const fit = "a".repeat(MAX_SECRET_BYTES / 2 - 1);
    expect(() => checkSecretSize({ k: fit, l: fit }, context)).not.toThrow();
    expect(() => checkSecretSize({ k: fit, l: `${fit}a` }, context)).toThrow(UnparsableSecretError);
    // Multi-byte text after other fields: its bytes count against what is left of the limit.
    const euros = "€".repeat(MAX_SECRET_BYTES / 5);
    expect(() => checkSecretSize({ a: "a".repeat(MAX_SECRET_BYTES / 2), b: euros }, context)).toThrow(
      UnparsableSecretError,
    );
    expect(() => checkSecretSize({ a: "a".repeat(MAX_SECRET_BYTES / 4), b: euros }, context)).not.toThrow();
    // Numbers, booleans and null count a little each, never a lot.
    expect(() => checkSecretSize({ a: 1, b: true, c: null, d: [1, 2, 3] }, context)).not.toThrow();
    expect(() =>
      checkSecretSize(
        Array.from({ length: MAX_SECRET_BYTES / 8 + 1 }, () => 0),
        context,
      ),
    ).toThrow(UnparsableSecretError);
    expect(() =>
      checkSecretSize(
        Array.from({ length: MAX_SECRET_BYTES / 16 }, () => 0),
        context,
      ),
    ).not.toThrow();
  });

  it("the refusal names the connection and the limit, with a hint, and never the value", () => {
    let error: UnparsableSecretError | undefined;
    try {
      checkSecretSize(
        { password: SECRET.repeat(MAX_SECRET_BYTES / SECRET.length + 1) },
        { backend: "infisical", connection: "warehouse", location: "path /" },
      );
    } catch (e) {
      error = e as UnparsableSecretError;
    }
    expect(error).toBeInstanceOf(UnparsableSecretError);
    expect(error!.message).toBe("secret of connection 'warehouse' is too large: more than 1 MiB (the limit)");
    expect(error!.hint).toBe(
      "A connection secret holds a small JSON document; store large files elsewhere and reference them by path",
    );
    expect(error!.backend).toBe("infisical");
    expect(error!.location).toBe("path /");
    expect(error!.describe()).not.toContain(SECRET);
    // A hint of the caller's own wins.
    let own: SecretsError | undefined;
    try {
      checkSecretSize("a".repeat(MAX_SECRET_BYTES + 1), { backend: "b", connection: "c", hint: "mine" });
    } catch (e) {
      own = e as SecretsError;
    }
    expect(own?.hint).toBe("mine");
  });
});
