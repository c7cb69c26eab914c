import { describe, expect, it } from "vitest";
import { databricksConnectOptions, databricksSessionOptions } from "./databricks-config.js";

const base = { host: "adb-123.azuredatabricks.net", port: 443, path: "/sql/1.0/warehouses/abc" };

describe("databricksConnectOptions", () => {
  it("authenticates with a personal access token", () => {
    expect(databricksConnectOptions({ ...base, token: "dapi-token" })).toEqual({
      host: "adb-123.azuredatabricks.net",
      port: 443,
      path: "/sql/1.0/warehouses/abc",
      userAgentEntry: "bruin",
      telemetryEnabled: false,
      authType: "access-token",
      token: "dapi-token",
    });
  });

  it("uses OAuth machine-to-machine with a service principal's client id and secret", () => {
    const options = databricksConnectOptions({ ...base, client_id: "sp-id", client_secret: "sp-secret" });
    expect(options).toMatchObject({
      authType: "databricks-oauth",
      oauthClientId: "sp-id",
      oauthClientSecret: "sp-secret",
    });
    expect(options).not.toHaveProperty("token");
  });

  it("prefers the token when both are given", () => {
    expect(databricksConnectOptions({ ...base, token: "t", client_id: "i", client_secret: "s" }).authType).toBe(
      "access-token",
    );
  });

  it("accepts the host as a URL and a path without its leading slash; retries follow connectRetries", () => {
    const options = databricksConnectOptions(
      { ...base, host: "https://adb-123.azuredatabricks.net/", path: "sql/1.0/x", token: "t" },
      { connectRetries: 0 },
    );
    expect(options).toMatchObject({ host: "adb-123.azuredatabricks.net", path: "/sql/1.0/x", retryMaxAttempts: 1 });
  });
});

describe("databricksSessionOptions", () => {
  it("makes catalog and schema the session's defaults", () => {
    expect(databricksSessionOptions({ ...base, catalog: "main", schema: "mart" })).toEqual({
      initialCatalog: "main",
      initialSchema: "mart",
    });
    expect(databricksSessionOptions(base)).toEqual({});
  });
});
