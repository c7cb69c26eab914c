import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  ConnectionResolver,
  InterruptedError,
  NotFoundError,
  Redactor,
  UnavailableError,
  type ConnectionSecret,
  type SecretsBackend,
} from "./index.js";

/** A backend holding `secrets`, counting its reads; `hold` makes reads of a name wait until released or aborted. */
function backend(
  secrets: Record<string, ConnectionSecret | Error>,
  options: { exitCode?: number; hold?: string } = {},
) {
  const reads: string[] = [];
  let release: (() => void) | undefined;
  const b: SecretsBackend = {
    id: "test",
    exitCode: options.exitCode ?? 3,
    describe: () => "the test backend",
    get: async (name, signal) => {
      reads.push(name);
      if (name === options.hold) {
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          signal?.addEventListener("abort", () => reject(new Error("request aborted")), { once: true });
        });
      }
      const found = secrets[name];
      if (found instanceof Error) throw found;
      return found;
    },
  };
  return { backend: b, reads, release: () => release?.() };
}

const pg = (password: unknown): ConnectionSecret => ({
  name: "pg",
  type: "postgres",
  details: { host: "h", password },
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("ConnectionResolver: interruptions", () => {
  it("a signal aborted before the call rejects at once with exit 130, asking nothing", async () => {
    const { backend: b, reads } = backend({ pg: pg("password-1") });
    const resolver = new ConnectionResolver({ backend: b });
    const controller = new AbortController();
    controller.abort(new Error("Ctrl-C"));
    const error = await rejection(resolver.resolve("pg", controller.signal));
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect((error as InterruptedError).backend).toBe("test");
    expect(error.cause).toEqual(new Error("Ctrl-C"));
    expect(reads).toEqual([]);
  });

  it("an InterruptedError given as the abort reason is the one rejected", async () => {
    const { backend: b } = backend({ pg: pg("password-1") });
    const reason = new InterruptedError("stopped by the user", { backend: "cli" });
    const controller = new AbortController();
    controller.abort(reason);
    expect(await rejection(new ConnectionResolver({ backend: b }).resolve("pg", controller.signal))).toBe(reason);
  });

  it("aborting while a read is in flight rejects at once and does not cache the name: a later call asks again", async () => {
    const { backend: b, reads, release } = backend({ slow: pg("password-1") }, { hold: "slow" });
    const resolver = new ConnectionResolver({ backend: b });
    const controller = new AbortController();
    const pending = resolver.resolve("slow", controller.signal);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await rejection(pending)).toBeInstanceOf(InterruptedError);
    const again = resolver.resolve("slow");
    await new Promise((r) => setTimeout(r, 10));
    expect(reads).toEqual(["slow", "slow"]);
    release();
    expect(await again).toEqual(pg("password-1"));
  });

  it("a connection resolved already is answered even after the signal aborts", async () => {
    const { backend: b, reads } = backend({ pg: pg("password-1") });
    const resolver = new ConnectionResolver({ backend: b });
    const controller = new AbortController();
    const first = await resolver.resolve("pg", controller.signal);
    controller.abort();
    await new Promise((r) => setTimeout(r, 0));
    expect(await resolver.resolve("pg", controller.signal)).toBe(first);
    expect(reads).toEqual(["pg"]);
  });

  it("resolveAll throws the interruption rather than listing it as a failure", async () => {
    const { backend: b } = backend({ a: pg("password-1"), slow: pg("password-2") }, { hold: "slow" });
    const resolver = new ConnectionResolver({ backend: b });
    const controller = new AbortController();
    const all = resolver.resolveAll(["a", "slow"], controller.signal);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await rejection(all)).toBeInstanceOf(InterruptedError);
  });
});

describe("ConnectionResolver: failures", () => {
  it("refuses a name that cannot be a connection name before asking, with the backend's exit code and a hint", async () => {
    const { backend: b, reads } = backend({}, { exitCode: 2 });
    const error = (await rejection(new ConnectionResolver({ backend: b }).resolve("../etc"))) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe("invalid connection name '../etc': it contains '/' or '\\'");
    expect(error.exitCode).toBe(2);
    expect(error.connection).toBe("../etc");
    expect(error.hint).toBe("Connection names may not be '.' or '..', nor contain '/', '\\' or control characters");
    expect(reads).toEqual([]);
  });

  it("a missing connection is a NotFoundError naming the backend, cached for the run", async () => {
    const { backend: b, reads } = backend({}, { exitCode: 2 });
    const resolver = new ConnectionResolver({ backend: b });
    const error = (await rejection(resolver.resolve("ghost"))) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe("connection 'ghost' not found in the test backend");
    expect(error.exitCode).toBe(2);
    expect(error.backend).toBe("test");
    expect(await rejection(resolver.resolve("ghost"))).toBe(error);
    expect(reads).toEqual(["ghost"]);
  });

  it("an unexpected error becomes an UnavailableError that never repeats the raw message", async () => {
    const raw = new TypeError("fetch failed for https://user:pw-RAW-7@host/x");
    const { backend: b } = backend({ pg: raw }, { exitCode: 4 });
    const error = (await rejection(new ConnectionResolver({ backend: b }).resolve("pg"))) as UnavailableError;
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe("failed to resolve connection 'pg' from the test backend");
    expect(error.describe()).not.toContain("pw-RAW-7");
    expect(error).toMatchObject({ backend: "test", connection: "pg", exitCode: 4, detail: "TypeError" });
    expect(error.cause).toBe(raw);
    const { backend: b2 } = backend({ pg: "a string" as unknown as Error });
    b2.get = async () => {
      throw "a string";
    };
    expect(((await rejection(new ConnectionResolver({ backend: b2 }).resolve("pg"))) as UnavailableError).detail).toBe(
      "string",
    );
  });

  it("resolveAll asks once per distinct name and reports every failure with the connections that worked", async () => {
    const { backend: b, reads } = backend({
      a: pg("password-1"),
      broken: new NotFoundError("gone", { backend: "test", connection: "broken" }),
    });
    const { connections, failures } = await new ConnectionResolver({ backend: b }).resolveAll([
      "a",
      "broken",
      "a",
      "missing",
    ]);
    expect([...connections.keys()]).toEqual(["a"]);
    expect(failures.map((f) => [f.constructor.name, f.message])).toEqual([
      ["NotFoundError", "gone"],
      ["NotFoundError", "connection 'missing' not found in the test backend"],
    ]);
    expect(reads.sort()).toEqual(["a", "broken", "missing"]);
  });
});

describe("ConnectionResolver: masking", () => {
  it("registers sensitive fields and reports short string and number values of a valid connection, never the value", async () => {
    const notices: unknown[] = [];
    const redactor = new Redactor();
    const secret: ConnectionSecret = {
      name: "pg",
      type: "postgres",
      details: { password: "abc", pin: 12, token: "long-enough-token", nested: { k: "x" } },
    };
    const { backend: b } = backend({ pg: secret });
    const resolver = new ConnectionResolver({
      backend: b,
      redactor,
      sensitiveFields: (s) =>
        ["password", "pin", "token", "nested"].map((field) => ({
          field,
          value: (s.details as Record<string, unknown>)[field],
        })),
      onUnmaskedField: (notice) => notices.push(notice),
    });
    await resolver.resolve("pg");
    expect(notices).toEqual([
      { connection: "pg", field: "password", minimum: 4 },
      { connection: "pg", field: "pin", minimum: 4 },
    ]);
    expect(redactor.redact("token long-enough-token")).toBe("token ****");
  });

  it("reports nothing for a connection that fails validation", async () => {
    const notices: unknown[] = [];
    const { backend: b } = backend({ pg: pg("abc") });
    const resolver = new ConnectionResolver({
      backend: b,
      redactor: new Redactor(),
      sensitiveFields: () => [{ field: "password", value: "abc" }],
      onUnmaskedField: (notice) => notices.push(notice),
      validate: () => {
        throw new ConfigurationError("invalid", { backend: "test" });
      },
    });
    expect(await rejection(resolver.resolve("pg"))).toBeInstanceOf(ConfigurationError);
    expect(notices).toEqual([]);
  });

  it("without sensitiveFields, registers what sensitiveValues returns", async () => {
    const redactor = new Redactor();
    const { backend: b } = backend({ pg: pg("values-password-9") });
    await new ConnectionResolver({
      backend: b,
      redactor,
      sensitiveValues: (s) => [(s.details as { password: string }).password],
    }).resolve("pg");
    expect(redactor.redact("pw values-password-9")).toBe("pw ****");
  });
});

describe("ConnectionResolver: signals shared between callers", () => {
  const later = (ms: number) => new Promise<"still pending">((r) => setTimeout(() => r("still pending"), ms));

  it("an abort answers at once even when the backend ignores the signal", async () => {
    let release: (() => void) | undefined;
    const b: SecretsBackend = {
      id: "test",
      describe: () => "the test backend",
      // Never looks at the signal: only the resolver can give up on it.
      get: (name) =>
        new Promise((resolve) => {
          release = () => resolve(pg("password-1"));
        }),
    };
    const resolver = new ConnectionResolver({ backend: b });
    const controller = new AbortController();
    const one = resolver.resolve("pg", controller.signal);
    const all = resolver.resolveAll(["pg"], controller.signal);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const [first, second] = await Promise.race([
      Promise.all([rejection(one), rejection(all)]),
      later(1_000).then(() => [undefined, undefined]),
    ]);
    release?.();
    expect(first).toBeInstanceOf(InterruptedError);
    expect(second).toBeInstanceOf(InterruptedError);
    expect((second as InterruptedError).exitCode).toBe(130);
  });

  it("resolveAll under a signal aborted before the call throws, asking nothing, even for connections resolved already", async () => {
    const { backend: b, reads } = backend({ pg: pg("password-1"), other: pg("password-2") });
    const resolver = new ConnectionResolver({ backend: b });
    await resolver.resolve("pg");
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(resolver.resolveAll(["pg"], controller.signal));
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect(await rejection(resolver.resolveAll(["pg", "other"], controller.signal))).toBeInstanceOf(InterruptedError);
    expect(reads).toEqual(["pg"]);
  });

  it("resolveAll throws an interruption of a read it shares with another caller, instead of listing it as a failure", async () => {
    const { backend: b, release } = backend({ a: pg("password-1"), slow: pg("password-2") }, { hold: "slow" });
    const resolver = new ConnectionResolver({ backend: b });
    const controller = new AbortController();
    const first = resolver.resolve("slow", controller.signal);
    // No signal of its own: it waits for the read the first caller started.
    const all = resolver.resolveAll(["a", "slow"]);
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await rejection(first)).toBeInstanceOf(InterruptedError);
    const error = await Promise.race([rejection(all), later(1_000)]);
    release();
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
  });

  it("adds one abort listener to a signal however many connections wait on it", async () => {
    const { backend: b } = backend(Object.fromEntries(["a", "b", "c", "d", "e"].map((n) => [n, pg(`password-${n}`)])));
    const resolver = new ConnectionResolver({ backend: b });
    const controller = new AbortController();
    const added: string[] = [];
    const addEventListener = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = (...args: Parameters<AbortSignal["addEventListener"]>) => {
      added.push(args[0]);
      addEventListener(...args);
    };
    const { connections } = await resolver.resolveAll(["a", "b", "c", "d", "e"], controller.signal);
    await Promise.all(["a", "b"].map((name) => resolver.resolve(name, controller.signal)));
    expect(connections.size).toBe(5);
    expect(added).toEqual(["abort"]);
  });
});

describe("ConnectionResolver: optional hooks", () => {
  it("a redactor without sensitiveFields or sensitiveValues registers nothing and resolves", async () => {
    const redactor = new Redactor();
    const { backend: b } = backend({ pg: pg("password-1") });
    expect(await new ConnectionResolver({ backend: b, redactor }).resolve("pg")).toEqual(pg("password-1"));
    expect(redactor.size).toBe(0);
  });

  it("sensitiveValues without a redactor is not asked", async () => {
    const { backend: b } = backend({ pg: pg("password-1") });
    let asked = 0;
    const resolver = new ConnectionResolver({
      backend: b,
      sensitiveValues: () => {
        asked++;
        return [];
      },
    });
    expect(await resolver.resolve("pg")).toEqual(pg("password-1"));
    expect(asked).toBe(0);
  });

  it("a short sensitive value without onUnmaskedField still resolves", async () => {
    const redactor = new Redactor();
    const { backend: b } = backend({ pg: pg("abc") });
    const resolver = new ConnectionResolver({
      backend: b,
      redactor,
      sensitiveFields: (s) => [{ field: "password", value: (s.details as { password: string }).password }],
    });
    expect(await resolver.resolve("pg")).toEqual(pg("abc"));
    expect(redactor.redact("abc")).toBe("abc");
  });
});
