import { describe, expect, it } from "vitest";
import { mssqlConfig, mssqlDriverOptions } from "./mssql-config.js";

const details = { host: "sql.example.com", port: 1433, username: "sa", password: "pw", database: "dwh" };

describe("mssqlConfig", () => {
  it("maps host, port, user, password and database, with a bounded connect time and no statement timeout", () => {
    expect(mssqlConfig(details, { connectTimeoutMs: 5000 })).toEqual({
      server: "sql.example.com",
      port: 1433,
      user: "sa",
      password: "pw",
      database: "dwh",
      connectionTimeout: 5000,
      requestTimeout: 0,
      pool: { max: 10, min: 0 },
      options: { appName: "bruin", useUTC: true },
    });
    expect(mssqlConfig(details).connectionTimeout).toBe(30_000);
  });

  it("passes driver options given as an object", () => {
    const config = mssqlConfig({ ...details, options: { encrypt: false, trustServerCertificate: true } });
    expect(config.options).toEqual({ appName: "bruin", useUTC: true, encrypt: false, trustServerCertificate: true });
  });

  it("reads connection-string style options and JSON text", () => {
    expect(mssqlDriverOptions("encrypt=disable;TrustServerCertificate=true;app name=etl")).toEqual({
      encrypt: false,
      trustServerCertificate: true,
      appName: "etl",
    });
    expect(mssqlDriverOptions("encrypt=strict&instanceName=SQLEXPRESS")).toEqual({
      encrypt: "strict",
      instanceName: "SQLEXPRESS",
    });
    expect(mssqlDriverOptions('{"encrypt": "true", "packetSize": "8192"}')).toEqual({
      encrypt: true,
      packetSize: 8192,
    });
    expect(mssqlDriverOptions("")).toEqual({});
  });

  it("names the field, not its text, when options cannot be read", () => {
    expect(() => mssqlDriverOptions('{"encrypt": tru')).toThrow("mssql 'options' is not a valid JSON object");
    expect(() => mssqlDriverOptions("encrypt")).toThrow(
      "mssql 'options' must be key=value pairs separated by ';' or '&'",
    );
  });
});
