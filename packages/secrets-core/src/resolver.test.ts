import { describe, expect, it } from "vitest";
import { AuthenticationError, InvalidSecretError, NotFoundError, UnavailableError } from "./errors.js";
import { Redactor } from "./redactor.js";
import { ConnectionResolver } from "./resolver.js";
import type { ConnectionSecret, SecretsBackend } from "./types.js";

function countingBackend(delayMs = 5) {
  const calls = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const backend: SecretsBackend = {
    id: "test",
    describe: () => "secrets backend 'test'",
    async get(name) {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight--;
      if (name === "missing") return undefined;
      if (name === "denied") throw new AuthenticationError("failed to authenticate", { backend: "test", connection: name });
      if (name === "boom") throw new Error("GET https://host/api?token=abc failed");
      return { name, type: "postgres", details: { password: `pw-of-${name}` } };
    },
  };
  return { backend, calls, maxInFlight: () => maxInFlight };
}

describe("ConnectionResolver", () => {
  it("fetches one name once for 50 concurrent callers", async () => {
    const { backend, calls } = countingBackend();
    let validations = 0;
    const resolver = new ConnectionResolver({
      backend,
      validate: (secret: ConnectionSecret) => {
        validations++;
        return secret;
      },
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => resolver.resolve("pg")));
    expect(calls.get("pg")).toBe(1);
    expect(validations).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it("fetches distinct names concurrently and reports every failure together", async () => {
    const { backend, calls, maxInFlight } = countingBackend(20);
    const resolver = new ConnectionResolver({ backend });
    const { connections, failures } = await resolver.resolveAll(["a", "b", "c", "missing", "denied", "a"]);
    expect([...connections.keys()].sort()).toEqual(["a", "b", "c"]);
    expect(maxInFlight()).toBe(5);
    expect(calls.get("a")).toBe(1);
    expect(failures.map((f) => f.constructor.name).sort()).toEqual(["AuthenticationError", "NotFoundError"]);
    const notFound = failures.find((f) => f instanceof NotFoundError)!;
    expect(notFound.message).toBe("connection 'missing' not found in secrets backend 'test'");
    expect(notFound.exitCode).toBe(3);
  });

  it("registers sensitive values before validation and caches validation failures", async () => {
    const { backend, calls } = countingBackend();
    const redactor = new Redactor();
    const resolver = new ConnectionResolver({
      backend,
      redactor,
      sensitiveValues: (secret) => [secret.details.password],
      validate: (secret) => {
        throw new InvalidSecretError(`connection '${secret.name}' is invalid`, { backend: "test", connection: secret.name, field: "port" });
      },
    });
    await expect(resolver.resolve("x")).rejects.toBeInstanceOf(InvalidSecretError);
    await expect(resolver.resolve("x")).rejects.toBeInstanceOf(InvalidSecretError);
    expect(calls.get("x")).toBe(1);
    expect(redactor.redact("pw-of-x")).toBe("****");
  });

  it("wraps unexpected errors without leaking their message", async () => {
    const { backend } = countingBackend();
    const error = await new ConnectionResolver({ backend }).resolve("boom").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).not.toContain("token=abc");
    expect((error as UnavailableError).describe()).toContain("connection 'boom'");
  });
});
