import { describe, expect, it } from "vitest";
import { mysqlPoolConfig } from "./mysql-config.js";
import { parseInt8, parseNumeric, postgresPoolConfig, postgresSsl } from "./postgres-config.js";
import { validateConnection } from "./validate.js";

const SECRET = "S3cr3t-Pa55w0rd!";

describe("postgresPoolConfig", () => {
  const details = validateConnection({
    name: "pg",
    type: "postgres",
    details: {
      host: "db",
      port: "6543",
      username: "app",
      password: SECRET,
      database: "analytics",
      schema: "my schema",
      pool_max_conns: 4,
    },
  }).details as never;

  it("maps the details to pg's pool options", () => {
    expect(postgresPoolConfig(details)).toEqual({
      host: "db",
      port: 6543,
      user: "app",
      password: SECRET,
      database: "analytics",
      max: 4,
      connectionTimeoutMillis: 10_000,
      application_name: "bruin",
      ssl: false,
      options: "-c search_path=my\\ schema",
    });
  });

  it("leaves search_path to the session on redshift, which refuses startup options", () => {
    expect(postgresPoolConfig(details, { redshift: true }).options).toBeUndefined();
  });

  it("maps every ssl_mode", () => {
    expect(postgresSsl(undefined)).toBe(false);
    expect(postgresSsl("disable")).toBe(false);
    expect(postgresSsl("allow")).toBe(false);
    expect(postgresSsl("prefer")).toEqual({ rejectUnauthorized: false });
    expect(postgresSsl("require")).toEqual({ rejectUnauthorized: false });
    const verifyCa = postgresSsl("verify-ca") as { rejectUnauthorized: boolean; checkServerIdentity: () => unknown };
    expect(verifyCa.rejectUnauthorized).toBe(true);
    expect(verifyCa.checkServerIdentity()).toBeUndefined();
    expect(postgresSsl("verify-full")).toEqual({ rejectUnauthorized: true });
  });

  it("parses int8 and numeric as numbers only when exact", () => {
    expect(parseInt8("42")).toBe(42);
    expect(parseInt8("-9007199254740991")).toBe(-9007199254740991);
    expect(parseInt8("9007199254740993")).toBe("9007199254740993");
    expect(parseNumeric("12.50")).toBe(12.5);
    expect(parseNumeric("-0.000123")).toBe(-0.000123);
    expect(parseNumeric("123456789012345")).toBe(123456789012345);
    expect(parseNumeric("12345678901234567890.5")).toBe("12345678901234567890.5");
    expect(parseNumeric("NaN")).toBe("NaN");
  });
});

describe("mysqlPoolConfig", () => {
  const base = { host: "my", port: 3307, username: "root", password: SECRET, database: "test" };

  it("maps the details to mysql2's pool options", () => {
    expect(mysqlPoolConfig(base)).toEqual({
      host: "my",
      port: 3307,
      user: "root",
      password: SECRET,
      database: "test",
      connectionLimit: 10,
      connectTimeout: 10_000,
      multipleStatements: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
      dateStrings: ["DATE"],
      timezone: "Z",
    });
  });

  it("reads the ssl files and verifies the server when a CA is given", () => {
    const read = (path: string) => `contents of ${path}`;
    expect(
      mysqlPoolConfig({ ...base, ssl_ca_path: "/ca.pem", ssl_cert_path: "/c.pem", ssl_key_path: "/k.pem" }, read).ssl,
    ).toEqual({
      rejectUnauthorized: true,
      ca: "contents of /ca.pem",
      cert: "contents of /c.pem",
      key: "contents of /k.pem",
    });
    expect(mysqlPoolConfig({ ...base, ssl_cert_path: "/c.pem" }, read).ssl).toEqual({
      rejectUnauthorized: false,
      cert: "contents of /c.pem",
    });
  });

  it("names the unreadable ssl file", () => {
    expect(() => mysqlPoolConfig({ ...base, ssl_key_path: "/nowhere/key.pem" })).toThrow(
      "cannot read ssl_key_path '/nowhere/key.pem' (ENOENT)",
    );
  });
});
