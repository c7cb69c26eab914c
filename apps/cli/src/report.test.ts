import { ConfigurationError, InterruptedError, NotFoundError } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { EXIT, UsageError } from "./errors.js";
import { failureLines, problemLines } from "./report.js";

/** The lines and exit code for a failure that ends a command. */
describe("failureLines", () => {
  it("a usage error: its message, exit 2, never a stack", () => {
    expect(failureLines(new UsageError("unknown flag --x"), true)).toEqual({
      lines: ["Error: unknown flag --x"],
      exitCode: 2,
    });
  });

  it("a secrets error: described on one line with its own exit code; the detail only with --verbose", () => {
    const error = new NotFoundError("secret not found", {
      backend: "infisical",
      connection: "pg",
      location: "path /",
      detail: "HTTP 404",
    });
    expect(failureLines(error, false)).toEqual({
      lines: ["Error: secret not found; connection 'pg'; path /"],
      exitCode: 3,
    });
    expect(failureLines(error, true)).toEqual({
      lines: ["Error: secret not found; connection 'pg'; path /", "  HTTP 404"],
      exitCode: 3,
    });
    const config = new ConfigurationError("no .bruin.yml", { backend: "file", exitCode: 2 });
    expect(failureLines(config, true)).toEqual({ lines: ["Error: no .bruin.yml"], exitCode: 2 });
    expect(failureLines(new InterruptedError("interrupted", { backend: "file" }), false).exitCode).toBe(130);
  });

  it("an error with issues: each problem once, with the error's exit code or 1", () => {
    const one = Object.assign(new Error("invalid"), { issues: ["asset 'a': bad"], exitCode: 2 });
    expect(failureLines(one, false)).toEqual({ lines: ["Error: asset 'a': bad"], exitCode: 2 });
    const two = Object.assign(new Error("invalid"), { issues: ["first", "second"] });
    expect(failureLines(two, false)).toEqual({
      lines: ["Error: the pipeline has 2 problems:", "  - first", "  - second"],
      exitCode: 1,
    });
    const none = Object.assign(new Error("invalid pipeline"), { issues: [] });
    expect(failureLines(none, false)).toEqual({ lines: ["Error: invalid pipeline"], exitCode: 1 });
  });

  it("any other error: its message, exit 1 unless it carries a numeric exitCode; the stack only with --verbose", () => {
    const plain = new Error("boom");
    expect(failureLines(plain, false)).toEqual({ lines: ["Error: boom"], exitCode: EXIT.failed });
    const verbose = failureLines(plain, true);
    expect(verbose.lines).toEqual(["Error: boom", plain.stack]);
    expect(failureLines(Object.assign(new Error("x"), { exitCode: 4 }), false).exitCode).toBe(4);
    expect(failureLines(Object.assign(new Error("x"), { exitCode: "4" }), false).exitCode).toBe(1);
    const stackless = Object.assign(new Error("no stack"), { stack: "" });
    expect(failureLines(stackless, true).lines).toEqual(["Error: no stack"]);
  });

  it("a thrown value that is not an Error: its text, exit 1, no stack even with --verbose", () => {
    expect(failureLines("plain text", true)).toEqual({ lines: ["Error: plain text"], exitCode: 1 });
    expect(failureLines({ issues: ["not an Error"], stack: "s" }, true)).toEqual({
      lines: ["Error: [object Object]"],
      exitCode: 1,
    });
  });
});

describe("problemLines", () => {
  it("one problem on one line, several as a list", () => {
    expect(problemLines(["only"])).toEqual(["Error: only"]);
    expect(problemLines(["a", "b", "c"])).toEqual(["Error: the pipeline has 3 problems:", "  - a", "  - b", "  - c"]);
  });
});
