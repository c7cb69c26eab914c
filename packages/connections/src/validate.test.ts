import { InvalidSecretError, type ConnectionSecret } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { canonicalType, isConnectionType, validateConnection } from "./validate.js";

const SECRET = "S3cr3t-Pa55w0rd!";

function errorOf(secret: ConnectionSecret, options?: { backend?: string; exitCode?: number }): InvalidSecretError {
  try {
    validateConnection(secret, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSecretError);
    const invalid = error as InvalidSecretError;
    expect(invalid.message).not.toContain(SECRET);
    expect(invalid.describe()).not.toContain(SECRET);
    expect(invalid.message).not.toContain("\n");
    return invalid;
  }
  throw new Error("expected validation to fail");
}

const good: Record<string, Record<string, unknown>> = {
  postgres: {
    host: "db",
    username: "app",
    password: SECRET,
    database: "analytics",
    schema: "public",
    ssl_mode: "require",
  },
  redshift: { host: "rs", username: "app", password: SECRET, database: "dev" },
  mysql: { host: "my", username: "root", database: "test", ssl_ca_path: "/ca.pem" },
  mssql: { host: "ms", username: "sa", password: SECRET, database: "master", options: "encrypt=true" },
  snowflake: { account: "acme", username: "app", private_key_path: "/k.p8", warehouse: "wh" },
  google_cloud_platform: { project_id: "p", service_account_json: { private_key: SECRET } },
  databricks: { host: "dbc.cloud", path: "/sql/1.0/warehouses/x", client_id: "id", client_secret: SECRET },
  mongodb: { host: "mongo", username: "u", password: SECRET },
  duckdb: { path: "data/warehouse.duckdb", read_only: "true" },
  generic: { value: SECRET },
};

const bad: Record<string, [Record<string, unknown>, string]> = {
  postgres: [
    { ...good.postgres, ssl_mode: "sometimes" },
    "'ssl_mode': expected one of: disable, allow, prefer, require, verify-ca, verify-full",
  ],
  redshift: [{ ...good.redshift, host: undefined }, "'host': is required"],
  mysql: [{ ...good.mysql, port: 70000 }, "'port': must be at most 65535"],
  mssql: [{ ...good.mssql, options: 12 }, "'options': expected a string or an object"],
  snowflake: [{ account: "acme", username: "app" }, "'password': is required (or private_key / private_key_path)"],
  google_cloud_platform: [
    { project_id: "p" },
    "'service_account_file': is required (or service_account_json, or use_application_default_credentials: true)",
  ],
  databricks: [{ host: "h", path: "/p", client_id: "id" }, "'client_secret': is required when client_id is set"],
  mongodb: [{ host: "" }, "'host': must not be empty"],
  duckdb: [{ path: "x", read_only: "maybe" }, "'read_only': expected a boolean"],
  generic: [{ value: 42 }, "'value': expected a string"],
};

describe("validateConnection", () => {
  for (const [type, details] of Object.entries(good)) {
    it(`accepts a good ${type} connection`, () => {
      const connection = validateConnection({ name: "c", type, details });
      expect(connection.type).toBe(type);
      expect(connection.name).toBe("c");
    });
    it(`rejects a bad ${type} connection naming the field`, () => {
      const [details, problem] = bad[type]!;
      const error = errorOf({ name: "c", type, details });
      expect(error.message).toBe(`connection 'c' of type '${type}' has an invalid field ${problem}`);
      expect(error.field).toBe(problem.slice(1, problem.indexOf("'", 1)));
      expect(error.connection).toBe("c");
    });
  }

  it("applies defaults and coerces numeric strings", () => {
    const pg = validateConnection({ name: "pg", type: "postgres", details: { ...good.postgres, port: " 6543 " } });
    expect(pg.details).toMatchObject({ port: 6543, pool_max_conns: 10 });
    expect(validateConnection({ name: "r", type: "redshift", details: good.redshift! }).details.port).toBe(5439);
    expect(validateConnection({ name: "m", type: "mysql", details: good.mysql! }).details.port).toBe(3306);
    expect(validateConnection({ name: "d", type: "duckdb", details: good.duckdb! }).details.read_only).toBe(true);
  });

  it("rejects a non-numeric port naming the field", () => {
    const error = errorOf({ name: "pg", type: "postgres", details: { ...good.postgres, port: "abc" } });
    expect(error.message).toBe("connection 'pg' of type 'postgres' has an invalid field 'port': expected a number");
    expect(error.field).toBe("port");
  });

  it("keeps unknown extra fields", () => {
    const connection = validateConnection({
      name: "pg",
      type: "postgres",
      details: { ...good.postgres, sslrootcert: "x" },
    });
    expect(connection.details.sslrootcert).toBe("x");
  });

  it("names every invalid field in one message", () => {
    const error = errorOf({ name: "pg", type: "postgres", details: { host: "h", port: "abc", password: SECRET } });
    expect(error.message).toBe(
      "connection 'pg' of type 'postgres' has invalid fields 'port': expected a number; 'username': is required; 'database': is required",
    );
    expect(error.field).toBeUndefined();
  });

  it("never shows a password that is itself invalid", () => {
    for (const password of [{ nested: SECRET }, [SECRET], 12345678, true]) {
      const error = errorOf({ name: "pg", type: "postgres", details: { ...good.postgres, password } });
      expect(error.message).toMatch(/has an invalid field 'password': expected a string$/);
    }
    const sf = errorOf({
      name: "sf",
      type: "snowflake",
      details: { account: "a", username: "u", private_key: { k: SECRET } },
    });
    expect(sf.message).toContain("'private_key': expected a string");
  });

  it("accepts mongo as an alias of mongodb", () => {
    expect(validateConnection({ name: "m", type: "mongo", details: { host: "h" } })).toEqual({
      name: "m",
      type: "mongodb",
      details: { host: "h", port: 27017 },
    });
    expect(canonicalType("mongo")).toBe("mongodb");
    expect(isConnectionType("mongo")).toBe(false);
    expect(isConnectionType("duckdb")).toBe(true);
  });

  it("reports an unknown type with the supported ones, and the backend and exit code", () => {
    const error = errorOf(
      { name: "x", type: "oracle", details: { password: SECRET } },
      { backend: "infisical", exitCode: 3 },
    );
    expect(error.message).toBe(
      "connection 'x' has unknown type 'oracle'; supported types: postgres, redshift, mysql, mssql, snowflake, google_cloud_platform, databricks, mongodb, duckdb, generic",
    );
    expect(error.backend).toBe("infisical");
    expect(error.exitCode).toBe(3);
    expect(errorOf({ name: "x", type: "y", details: {} }).backend).toBe("unknown");
  });

  it("truncates an absurdly long type", () => {
    const error = errorOf({ name: "x", type: "t".repeat(500), details: {} });
    expect(error.message).toContain(`unknown type '${"t".repeat(40)}...'`);
  });

  it("rejects details that are not an object", () => {
    const error = errorOf({ name: "x", type: "duckdb", details: SECRET as unknown as Record<string, unknown> });
    expect(error.message).toBe("connection 'x' of type 'duckdb' has invalid details: expected an object of fields");
  });

  it("treats a null field as absent", () => {
    const connection = validateConnection({
      name: "pg",
      type: "postgres",
      details: { ...good.postgres, port: null, password: null },
    });
    expect(connection.details.port).toBe(5432);
    expect("password" in connection.details).toBe(false);
  });
});
