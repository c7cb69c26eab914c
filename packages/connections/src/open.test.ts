import { describe, expect, it } from "vitest";
import { ConnectionError, UnsupportedConnectionTypeError } from "./errors.js";
import { openConnection } from "./open.js";
import type { ConnectionType } from "./types.js";

describe("openConnection", () => {
  const unsupported: ConnectionType[] = ["mssql", "snowflake", "google_cloud_platform", "databricks", "mongodb", "generic"];
  for (const type of unsupported) {
    it(`refuses to run queries on ${type} for now`, async () => {
      const error = await openConnection({ name: "other", type, details: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedConnectionTypeError);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toBe(`connection 'other': running queries on type '${type}' is not supported yet`);
      expect((error as ConnectionError).type).toBe(type);
    });
  }
});

describe("ConnectionError", () => {
  it("names the connection and type and keeps the driver's message on one line", () => {
    const error = ConnectionError.wrap("pg", "postgres", new Error("relation \"x\" does not exist\nLINE 1: ..."));
    expect(error.message).toBe(`connection 'pg' (postgres): relation "x" does not exist LINE 1: ...`);
    expect(error.connection).toBe("pg");
    expect(error.cause).toBeInstanceOf(Error);
    expect(ConnectionError.wrap("other", "mysql", error)).toBe(error);
  });

  it("spells out an AggregateError with an empty message (a refused dual-stack connect)", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:1"), { code: "ECONNREFUSED" });
    const refused4 = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const error = ConnectionError.wrap("pg", "postgres", new AggregateError([refused, refused4], ""));
    expect(error.message).toBe("connection 'pg' (postgres): connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1");
  });
});
