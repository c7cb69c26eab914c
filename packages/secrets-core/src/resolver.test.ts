import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConfigurationError,
  InterruptedError,
  InvalidSecretError,
  MAX_SECRET_BYTES,
  NotFoundError,
  UnavailableError,
  UnparsableSecretError,
  checkSecretSize,
} from "./errors.js";
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
      if (name === "denied")
        throw new AuthenticationError("failed to authenticate", { backend: "test", connection: name });
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
        throw new InvalidSecretError(`connection '${secret.name}' is invalid`, {
          backend: "test",
          connection: secret.name,
          field: "port",
        });
      },
    });
    await expect(resolver.resolve("x")).rejects.toBeInstanceOf(InvalidSecretError);
    await expect(resolver.resolve("x")).rejects.toBeInstanceOf(InvalidSecretError);
    expect(calls.get("x")).toBe(1);
    expect(redactor.redact("pw-of-x")).toBe("****");
  });

  it("names each sensitive field too short to be masked, once, for a valid connection, never its value", async () => {
    // Lengths MIN-1, MIN and MIN+1 around the minimum of 4.
    const details: Record<string, unknown> = { password: "Q7z", token: "W8x5", key: "K9y4v", empty: "", port: 5432 };
    const backend: SecretsBackend = {
      id: "test",
      describe: () => "secrets backend 'test'",
      get: async (name) =>
        name === "bad" ? { name, type: "unknown", details: { password: "ab" } } : { name, type: "postgres", details },
    };
    const redactor = new Redactor();
    const notices: Array<{ connection: string; field: string; minimum: number }> = [];
    const resolver = new ConnectionResolver({
      backend,
      redactor,
      sensitiveFields: (secret) =>
        ["password", "token", "key", "empty"].map((field) => ({
          field,
          value: (secret.details as Record<string, unknown>)[field],
        })),
      validate: (secret) => {
        if (secret.type === "unknown")
          throw new InvalidSecretError("unknown type", { backend: "test", connection: secret.name, field: "type" });
        return secret;
      },
      onUnmaskedField: (notice) => notices.push(notice),
    });
    await resolver.resolve("warehouse");
    await resolver.resolve("warehouse");
    await expect(resolver.resolve("bad")).rejects.toBeInstanceOf(InvalidSecretError);
    expect(notices).toEqual([{ connection: "warehouse", field: "password", minimum: 4 }]);
    expect(redactor.redact("Q7z W8x5 K9y4v")).toBe("Q7z **** ****");
  });

  it("wraps unexpected errors without leaking their message", async () => {
    const { backend } = countingBackend();
    const error = await new ConnectionResolver({ backend }).resolve("boom").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).not.toContain("token=abc");
    expect((error as UnavailableError).describe()).toContain("connection 'boom'");
  });
});

describe("ConnectionResolver: names and interruptions", () => {
  it.each([".", "..", "a/b", "../x", "a\\b", "tab\there", "nl\nx", "nul\u0000", "del\u007f", "  "])(
    "refuses the name %j before asking the backend",
    async (name) => {
      const { backend, calls } = countingBackend();
      const error = await new ConnectionResolver({ backend }).resolve(name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).exitCode).toBe(3);
      expect((error as ConfigurationError).message).toMatch(/^invalid connection name/);
      // Control characters are shown escaped, never written raw.
      expect((error as ConfigurationError).describe()).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(calls.size).toBe(0);
    },
  );

  it("uses the backend's exit code for a refused name", async () => {
    const { backend } = countingBackend();
    const error = await new ConnectionResolver({ backend: { ...backend, exitCode: 2 } })
      .resolve("..")
      .catch((e: unknown) => e);
    expect((error as ConfigurationError).exitCode).toBe(2);
  });

  it("accepts ordinary names with dots, dashes and non-ASCII letters", async () => {
    const { backend } = countingBackend(1);
    const { connections, failures } = await new ConnectionResolver({ backend }).resolveAll([
      "my.pg",
      "wh-1",
      "entrepôt",
      "...x",
    ]);
    expect(failures).toEqual([]);
    expect(connections.size).toBe(4);
  });

  it("abandons resolution at once when the signal aborts, exit 130, and does not cache the interruption", async () => {
    const calls = new Map<string, number>();
    const backend: SecretsBackend = {
      id: "test",
      describe: () => "test",
      // Answers after 5 s on the first call, at once later; gives up when its signal aborts.
      get: (name, signal) =>
        new Promise((resolve, reject) => {
          calls.set(name, (calls.get(name) ?? 0) + 1);
          const timer = setTimeout(
            () => resolve({ name, type: "duckdb", details: {} }),
            calls.get(name) === 1 ? 5_000 : 0,
          );
          signal?.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        }),
    };
    const resolver = new ConnectionResolver({ backend });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    const error = await resolver.resolveAll(["a", "b"], controller.signal).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect((error as InterruptedError).message).toMatch(/^interrupted while connections were being resolved/);
    // Asked again without the interruption: asked again of the backend.
    await expect(resolver.resolve("a")).resolves.toMatchObject({ name: "a" });
    expect(calls.get("a")).toBe(2);
  });

  it("passes the signal to the backend and still answers resolved connections after an interruption", async () => {
    const seen: Array<AbortSignal | undefined> = [];
    const backend: SecretsBackend = {
      id: "test",
      describe: () => "test",
      get: async (name, signal) => {
        seen.push(signal);
        return { name, type: "duckdb", details: {} };
      },
    };
    const resolver = new ConnectionResolver({ backend });
    const controller = new AbortController();
    await resolver.resolveAll(["a"], controller.signal);
    expect(seen).toEqual([controller.signal]);
    controller.abort();
    await expect(resolver.resolve("a", controller.signal)).resolves.toMatchObject({ name: "a" });
    await expect(resolver.resolve("b", controller.signal)).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe("checkSecretSize", () => {
  const context = { backend: "test", connection: "big-one" };
  it("accepts up to 1 MiB and refuses more, naming the connection and never the value", () => {
    expect(() => checkSecretSize("x".repeat(MAX_SECRET_BYTES), context)).not.toThrow();
    const marker = "SIZE-MARKER-q8v";
    let error: unknown;
    try {
      checkSecretSize(marker + "x".repeat(MAX_SECRET_BYTES), context);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnparsableSecretError);
    expect((error as UnparsableSecretError).exitCode).toBe(3);
    expect((error as UnparsableSecretError).describe()).toContain("'big-one'");
    expect((error as UnparsableSecretError).describe()).toContain("1 MiB");
    expect((error as UnparsableSecretError).describe()).not.toContain(marker);
  });

  it("counts UTF-8 bytes, and the strings inside objects", () => {
    // 400 Ki three-byte characters: 1.2 MiB in UTF-8.
    expect(() => checkSecretSize("€".repeat(400 * 1024), context)).toThrow(UnparsableSecretError);
    expect(() => checkSecretSize({ details: { password: "x".repeat(MAX_SECRET_BYTES + 1) } }, context)).toThrow(
      /too large/,
    );
    expect(() => checkSecretSize({ details: { password: "x".repeat(1000), port: 5432 } }, context)).not.toThrow();
  });
});
