import { InvalidSecretError } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { canonicalType, sensitiveFields, validateConnection, type ConnectionType } from "./index.js";

/** Edge cases of the schemas and their field builders: coercion, alternatives, bounds. */
function accept(type: string, details: Record<string, unknown>): Record<string, unknown> {
  return validateConnection({ name: "c", type, details }).details;
}

function reject(type: string, details: unknown): InvalidSecretError {
  try {
    validateConnection({ name: "c", type, details: details as Record<string, unknown> });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSecretError);
    return error as InvalidSecretError;
  }
  throw new Error("accepted");
}

const PG = { host: "h", username: "u", database: "d" };

describe("numbers given as strings", () => {
  it("a port of digits, with or without spaces around them, is a number", () => {
    for (const [given, port] of [
      ["6543", 6543],
      [" 6543", 6543],
      ["6543 ", 6543],
      ["\t6543\n", 6543],
      [6543, 6543],
    ] as const) {
      expect(accept("postgres", { ...PG, port: given }).port).toBe(port);
    }
  });

  it("anything else is not coerced: true, [5432], '54 32', '5432x', 'x5432', 1.5, '1.5'", () => {
    for (const port of [true, [5432], "54 32", "5432x", "x5432", 1.5, "1.5", ""]) {
      const error = reject("postgres", { ...PG, port });
      expect(error.field, JSON.stringify(port)).toBe("port");
    }
  });

  it("bounds: a port from 1 to 65535, pool_max_conns from 1 to 1000", () => {
    expect(accept("postgres", { ...PG, port: 1 }).port).toBe(1);
    expect(accept("postgres", { ...PG, port: "65535" }).port).toBe(65535);
    for (const port of [0, 65536, -1]) expect(reject("postgres", { ...PG, port }).field).toBe("port");
    expect(accept("postgres", { ...PG, pool_max_conns: "1000" }).pool_max_conns).toBe(1000);
    expect(accept("postgres", { ...PG, pool_max_conns: 1 }).pool_max_conns).toBe(1);
    for (const pool of [0, 1001, "many"])
      expect(reject("postgres", { ...PG, pool_max_conns: pool }).field).toBe("pool_max_conns");
  });
});

describe("booleans given as strings", () => {
  it("'true' and 'false' in any case and with spaces are booleans", () => {
    for (const [given, value] of [
      ["true", true],
      ["FALSE", false],
      [" True ", true],
      [" false\n", false],
      [true, true],
      [false, false],
    ] as const) {
      expect(accept("duckdb", { path: "x.duckdb", read_only: given }).read_only).toBe(value);
    }
  });

  it("other values are rejected naming the field, not thrown past the validator", () => {
    for (const read_only of [1, 0, "yes", "", "truthy", { value: true }]) {
      expect(reject("duckdb", { path: "x.duckdb", read_only }).field, JSON.stringify(read_only)).toBe("read_only");
    }
  });
});

describe("credentials that may be given in one of several fields", () => {
  it("snowflake: a password, a private_key or a private_key_path; empty strings do not count", () => {
    const base = { account: "a", username: "u" };
    for (const credential of [{ password: "p" }, { private_key: "k" }, { private_key_path: "/k.p8" }]) {
      expect(accept("snowflake", { ...base, ...credential })).toMatchObject(credential);
    }
    for (const empty of [
      {},
      { password: "" },
      { password: "", private_key: "", private_key_path: "" },
      { password: null },
    ]) {
      const error = reject("snowflake", { ...base, ...empty });
      expect(error.message).toBe(
        "connection 'c' of type 'snowflake' has an invalid field 'password': is required (or private_key / private_key_path)",
      );
    }
  });

  it("google_cloud_platform: a file, the JSON, or application default credentials set to true", () => {
    const base = { project_id: "p" };
    expect(accept("google_cloud_platform", { ...base, service_account_file: "/sa.json" })).toBeTruthy();
    expect(
      accept("google_cloud_platform", { ...base, service_account_json: { type: "service_account" } }),
    ).toBeTruthy();
    expect(accept("google_cloud_platform", { ...base, service_account_json: "{}" })).toBeTruthy();
    expect(accept("google_cloud_platform", { ...base, use_application_default_credentials: true })).toBeTruthy();
    expect(accept("google_cloud_platform", { ...base, use_application_default_credentials: "TRUE" })).toBeTruthy();
    for (const none of [
      {},
      { use_application_default_credentials: false },
      { use_application_default_credentials: "false" },
      { service_account_file: "" },
    ]) {
      expect(reject("google_cloud_platform", { ...base, ...none }).field).toBe("service_account_file");
    }
  });

  it("databricks: a token, or client_id and client_secret together", () => {
    const base = { host: "h", path: "/p" };
    expect(accept("databricks", { ...base, token: "t" }).token).toBe("t");
    expect(accept("databricks", { ...base, client_id: "i", client_secret: "s" })).toMatchObject({
      client_id: "i",
      client_secret: "s",
    });
    expect(reject("databricks", base).message).toBe(
      "connection 'c' of type 'databricks' has an invalid field 'token': is required (or client_id and client_secret)",
    );
    expect(reject("databricks", { ...base, client_secret: "s" }).message).toBe(
      "connection 'c' of type 'databricks' has an invalid field 'client_id': is required when client_secret is set",
    );
    expect(reject("databricks", { ...base, client_id: "i" }).message).toBe(
      "connection 'c' of type 'databricks' has an invalid field 'client_secret': is required when client_id is set",
    );
  });
});

describe("sensitive fields", () => {
  it("every type lists the fields whose values are masked", () => {
    const expected: Record<ConnectionType, string[]> = {
      postgres: ["password"],
      redshift: ["password"],
      mysql: ["password"],
      mssql: ["password"],
      snowflake: ["password", "private_key"],
      google_cloud_platform: ["service_account_json"],
      databricks: ["token", "client_secret"],
      mongodb: ["password"],
      duckdb: [],
      generic: ["value"],
    };
    for (const [type, fields] of Object.entries(expected)) expect(sensitiveFields(type), type).toEqual(fields);
    expect(sensitiveFields("mongo")).toEqual(["password"]);
    expect(sensitiveFields("oracle")).toEqual([]);
  });
});

describe("the shape of a secret", () => {
  it("details that are null, an array or a string are rejected on the field 'details'", () => {
    for (const details of [null, ["x"], "text", 42]) {
      const error = reject("duckdb", details);
      expect(error.message).toBe("connection 'c' of type 'duckdb' has invalid details: expected an object of fields");
      expect(error.field).toBe("details");
    }
  });

  it("an unknown type is reported on the field 'type', printable and cut at 40 characters", () => {
    const unknown = reject("oracle", {});
    expect(unknown.field).toBe("type");
    expect(reject("ora\ncle\u0000", {}).message).toContain("unknown type 'ora?cle?'");
    expect(reject("x".repeat(40), {}).message).toContain(`unknown type '${"x".repeat(40)}';`);
    expect(reject("x".repeat(41), {}).message).toContain(`unknown type '${"x".repeat(40)}...';`);
  });

  it("a type that is not a string is unknown, even one that reads as an alias", () => {
    expect(canonicalType(["mongo"])).toBeUndefined();
    expect(canonicalType(42)).toBeUndefined();
    expect(reject(["duckdb"] as unknown as string, { path: "x" }).field).toBe("type");
  });
});
