import { describe, expect, it } from "vitest";
import { ConnectionError, UnsupportedConnectionTypeError } from "./errors.js";
import { openConnection } from "./open.js";
import type { ConnectionType } from "./types.js";

describe("openConnection", () => {
  it("refuses a generic connection: it holds a value, not a database", async () => {
    const error = await openConnection({ name: "api-key", type: "generic", details: { value: "s3cr3t-value" } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedConnectionTypeError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toBe(
      "connection 'api-key' (generic): a generic connection holds a value for assets to read, not a database connection",
    );
    expect((error as ConnectionError).message).not.toContain("s3cr3t-value");
    expect((error as ConnectionError).type).toBe("generic");
  });

  it("opens the remote engines without contacting them, with the dialect of their type", async () => {
    const examples: [ConnectionType, Record<string, unknown>, string][] = [
      ["mssql", { host: "127.0.0.1", port: 1, username: "sa", database: "d" }, "mssql"],
      ["databricks", { host: "127.0.0.1", port: 1, path: "/p", token: "t" }, "databricks"],
      ["mongodb", { host: "127.0.0.1", port: 1 }, "mongodb"],
      ["google_cloud_platform", { project_id: "p", use_application_default_credentials: true }, "bigquery"],
    ];
    for (const [type, details, dialect] of examples) {
      const adapter = await openConnection({ name: `n-${type}`, type, details });
      expect(adapter.type).toBe(type);
      expect(adapter.name).toBe(`n-${type}`);
      expect(adapter.dialect.name).toBe(dialect);
      await adapter.close();
      const closed = await adapter.query("SELECT 1").catch((e: unknown) => e);
      expect((closed as Error).message).toBe(`connection 'n-${type}' (${type}): the connection is closed`);
    }
  });

  it("keeps the old message for a type without an adapter", () => {
    const error = new UnsupportedConnectionTypeError("other", "mssql");
    expect(error.message).toBe("connection 'other': running queries on type 'mssql' is not supported yet");
  });
});

describe("ConnectionError", () => {
  it("names the connection and type and keeps the driver's message on one line", () => {
    const error = ConnectionError.wrap("pg", "postgres", new Error('relation "x" does not exist\nLINE 1: ...'));
    expect(error.message).toBe(`connection 'pg' (postgres): relation "x" does not exist LINE 1: ...`);
    expect(error.connection).toBe("pg");
    expect(error.cause).toBeInstanceOf(Error);
    expect(ConnectionError.wrap("other", "mysql", error)).toBe(error);
  });

  it("spells out an AggregateError with an empty message (a refused dual-stack connect)", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:1"), { code: "ECONNREFUSED" });
    const refused4 = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const error = ConnectionError.wrap("pg", "postgres", new AggregateError([refused, refused4], ""));
    expect(error.message).toBe(
      "connection 'pg' (postgres): connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});
