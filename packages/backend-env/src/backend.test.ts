import {
  ConnectionResolver,
  InvalidSecretError,
  NotFoundError,
  Redactor,
  UnparsableSecretError,
  type BackendContext,
} from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { createEnvBackend } from "./backend.js";

const PASSWORD = "env-backend-s3cret-Zq81";
const POSTGRES = JSON.stringify({
  type: "postgres",
  details: { host: "db.internal", port: 5432, username: "app", password: PASSWORD, database: "analytics" },
});

function context(env: Record<string, string | undefined>): BackendContext {
  return { env, redactor: new Redactor(), cwd: "/" };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error("expected the promise to reject");
  return error;
}

describe("createEnvBackend", () => {
  it("reads a connection from BRUIN_CONNECTION_<NAME>, upper-cased with '-' as '_'", async () => {
    const backend = createEnvBackend(context({ BRUIN_CONNECTION_MY_POSTGRES: POSTGRES }));
    expect(backend.id).toBe("env");
    expect(backend.exitCode).toBe(3);
    const secret = await backend.get("my-postgres");
    expect(secret).toEqual({
      name: "my-postgres",
      type: "postgres",
      details: expect.objectContaining({ password: PASSWORD }),
    });
    expect((await backend.get("my_postgres"))?.type).toBe("postgres");
  });

  it("returns undefined when the variable is not set or empty", async () => {
    const backend = createEnvBackend(context({ BRUIN_CONNECTION_BLANK: "  " }));
    expect(await backend.get("missing")).toBeUndefined();
    expect(await backend.get("blank")).toBeUndefined();
  });

  it("registers the whole raw value with the redactor", async () => {
    const ctx = context({ BRUIN_CONNECTION_PG: POSTGRES });
    await createEnvBackend(ctx).get("pg");
    expect(ctx.redactor.redact(`got ${POSTGRES}`)).toBe("got ****");
  });

  it("reports invalid JSON as unparsable without quoting the value", async () => {
    const raw = `{"type": "postgres", "details": {"password": "${PASSWORD}"`;
    const ctx = context({ BRUIN_CONNECTION_BROKEN: raw });
    const error = await failure(createEnvBackend(ctx).get("broken"));
    expect(error).toBeInstanceOf(UnparsableSecretError);
    const described = (error as UnparsableSecretError).describe();
    expect(described).toContain("connection 'broken'");
    expect(described).toContain("BRUIN_CONNECTION_BROKEN");
    expect(described).not.toContain(PASSWORD);
    expect((error as UnparsableSecretError).exitCode).toBe(3);
    expect(ctx.redactor.redact(raw)).toBe("****");
  });

  it.each([
    ["a JSON array", "[1, 2, 3]", "type"],
    ["no type", JSON.stringify({ details: { password: PASSWORD } }), "type"],
    ["an empty type", JSON.stringify({ type: " ", details: {} }), "type"],
    ["no details", JSON.stringify({ type: "postgres", password: PASSWORD }), "details"],
    ["details that are not an object", JSON.stringify({ type: "postgres", details: [PASSWORD] }), "details"],
  ])("reports %s as an invalid secret naming the field", async (_label, raw, field) => {
    const error = await failure(createEnvBackend(context({ BRUIN_CONNECTION_X: raw })).get("x"));
    expect(error).toBeInstanceOf(InvalidSecretError);
    expect((error as InvalidSecretError).field).toBe(field);
    expect((error as InvalidSecretError).describe()).toContain(`'${field}'`);
    expect((error as InvalidSecretError).describe()).not.toContain(PASSWORD);
  });

  it("lists the connection names found, lower-cased, ignoring empty and other variables", async () => {
    const backend = createEnvBackend(
      context({
        BRUIN_CONNECTION_MY_PG: POSTGRES,
        BRUIN_CONNECTION_DUCKDB_DEFAULT: '{"type":"duckdb","details":{"path":"x.duckdb"}}',
        BRUIN_CONNECTION_EMPTY: "",
        BRUIN_CONNECTION_: POSTGRES,
        BRUIN_CONFIG_FILE: "x",
        PATH: "/bin",
      }),
    );
    expect(await backend.list?.()).toEqual(["duckdb_default", "my_pg"]);
  });

  it("describes where it reads from without any value", () => {
    expect(createEnvBackend(context({ BRUIN_CONNECTION_PG: POSTGRES })).describe()).toBe(
      "environment variables BRUIN_CONNECTION_*",
    );
  });

  it("works behind the resolver: not found is a NotFoundError with exit code 3", async () => {
    const backend = createEnvBackend(context({ BRUIN_CONNECTION_PG: POSTGRES }));
    const { connections, failures } = await new ConnectionResolver({ backend }).resolveAll(["pg", "nope"]);
    expect(connections.get("pg")?.type).toBe("postgres");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(NotFoundError);
    expect(failures[0]!.exitCode).toBe(3);
    expect(failures[0]!.message).toBe("connection 'nope' not found in environment variables BRUIN_CONNECTION_*");
  });

  it("refuses a value over 1 MiB before parsing it, naming the connection and not the value", async () => {
    const marker = "ENV-BIG-MARKER-77f";
    const huge = JSON.stringify({ type: "postgres", details: { password: marker + "x".repeat(1024 * 1024) } });
    const redactor = new Redactor();
    const backend = createEnvBackend({ env: { BRUIN_CONNECTION_BIG: huge }, redactor, cwd: "/" });
    const error = await failure(backend.get("big"));
    expect(error).toBeInstanceOf(UnparsableSecretError);
    expect((error as UnparsableSecretError).exitCode).toBe(3);
    const text = (error as UnparsableSecretError).describe();
    expect(text).toContain("'big'");
    expect(text).toContain("BRUIN_CONNECTION_BIG");
    expect(text).toMatch(/too large/);
    expect(text).not.toContain(marker);
  });
});
