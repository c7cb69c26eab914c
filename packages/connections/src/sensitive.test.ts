import { describe, expect, it } from "vitest";
import { filledFields, sensitiveFieldValues, sensitiveFields, sensitiveValues } from "./sensitive.js";
import { validateConnection } from "./validate.js";

const SECRET = "S3cr3t-Pa55w0rd!";

describe("sensitiveFields", () => {
  it("lists the secret fields of each type, aliases included", () => {
    expect(sensitiveFields("postgres")).toEqual(["password"]);
    expect(sensitiveFields("snowflake")).toEqual(["password", "private_key"]);
    expect(sensitiveFields("databricks")).toEqual(["token", "client_secret"]);
    expect(sensitiveFields("google_cloud_platform")).toEqual(["service_account_json"]);
    expect(sensitiveFields("generic")).toEqual(["value"]);
    expect(sensitiveFields("mongo")).toEqual(["password"]);
    expect(sensitiveFields("duckdb")).toEqual([]);
    expect(sensitiveFields("oracle")).toEqual([]);
  });
});

describe("sensitiveValues", () => {
  it("returns the values of the sensitive fields only", () => {
    expect(
      sensitiveValues({ name: "pg", type: "postgres", details: { host: "h", username: "u", password: SECRET } }),
    ).toEqual([SECRET]);
    expect(
      sensitiveValues({
        name: "db",
        type: "databricks",
        details: { host: "h", token: "tok-1234", client_secret: "cs-5678" },
      }),
    ).toEqual(["tok-1234", "cs-5678"]);
    const json = { private_key: SECRET };
    expect(
      sensitiveValues({
        name: "g",
        type: "google_cloud_platform",
        details: { project_id: "p", service_account_json: json },
      }),
    ).toEqual([json]);
  });

  it("returns values even when they are not valid for the schema", () => {
    expect(sensitiveValues({ name: "pg", type: "postgres", details: { password: 12345678 } })).toEqual([12345678]);
    expect(sensitiveValues({ name: "pg", type: "postgres", details: { password: { nested: SECRET } } })).toEqual([
      { nested: SECRET },
    ]);
  });

  it("says which field each value is in", () => {
    expect(
      sensitiveFieldValues({
        name: "db",
        type: "databricks",
        details: { host: "h", token: "tok-1234", client_secret: "cs-5678" },
      }),
    ).toEqual([
      { field: "token", value: "tok-1234" },
      { field: "client_secret", value: "cs-5678" },
    ]);
    expect(
      sensitiveFieldValues({ name: "x", type: "oracle", details: { host: "h", nested: { key: "k-999" } } }),
    ).toEqual([
      { field: "host", value: "h" },
      { field: "nested", value: "k-999" },
    ]);
  });

  it("returns every string for an unknown type", () => {
    const details = { host: "h", secret: SECRET, port: 1, nested: { key: "k-999" }, list: ["l1"] };
    expect(sensitiveValues({ name: "x", type: "oracle", details })).toEqual(["h", SECRET, "k-999", "l1"]);
  });

  it("never throws on malformed details", () => {
    expect(sensitiveValues({ name: "x", type: "postgres", details: null as never })).toEqual([]);
    expect(sensitiveValues({ name: "x", type: "postgres", details: "str" as never })).toEqual([]);
  });
});

describe("filledFields", () => {
  it("names the fields with a value in schema order, extra fields last", () => {
    const connection = validateConnection({
      name: "pg",
      type: "postgres",
      details: { extra: "x", database: "d", password: SECRET, host: "h", username: "u", schema: "" },
    });
    expect(filledFields(connection)).toEqual([
      "host",
      "port",
      "username",
      "password",
      "database",
      "pool_max_conns",
      "extra",
    ]);
  });
});
