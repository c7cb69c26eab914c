import { describe, expect, it } from "vitest";
import { pemText, snowflakeConnectionOptions } from "./snowflake-config.js";

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----";

describe("snowflakeConnectionOptions", () => {
  it("maps a password login with warehouse, role, database, schema and region", () => {
    const details = {
      account: "xy12345",
      username: "loader",
      password: "pw",
      warehouse: "COMPUTE_WH",
      role: "TRANSFORMER",
      database: "ANALYTICS",
      schema: "MART",
      region: "eu-central-1",
    };
    expect(snowflakeConnectionOptions(details)).toEqual({
      account: "xy12345",
      username: "loader",
      password: "pw",
      warehouse: "COMPUTE_WH",
      role: "TRANSFORMER",
      database: "ANALYTICS",
      schema: "MART",
      region: "eu-central-1",
      jsTreatIntegerAsBigInt: true,
      sfRetryMaxLoginRetries: 2,
    });
  });

  it("uses key-pair authentication with PEM text, which wins over a password", () => {
    const options = snowflakeConnectionOptions({ account: "a", username: "u", password: "pw", private_key: PEM });
    expect(options).toMatchObject({ authenticator: "SNOWFLAKE_JWT", privateKey: PEM });
    expect(options).not.toHaveProperty("password");
    expect(options).not.toHaveProperty("privateKeyPath");
  });

  it("uses key-pair authentication with a key file", () => {
    const options = snowflakeConnectionOptions({ account: "a", username: "u", private_key_path: "/keys/rsa_key.p8" });
    expect(options).toMatchObject({ authenticator: "SNOWFLAKE_JWT", privateKeyPath: "/keys/rsa_key.p8" });
    expect(options).not.toHaveProperty("privateKey");
  });

  it("reaches another host when one is given, and follows connectRetries", () => {
    const options = snowflakeConnectionOptions(
      { account: "a", username: "u", password: "p", host: "a.privatelink.snowflakecomputing.com", port: "8443" },
      { connectRetries: 0 },
    );
    expect(options).toMatchObject({
      host: "a.privatelink.snowflakecomputing.com",
      port: 8443,
      sfRetryMaxLoginRetries: 0,
    });
  });
});

describe("pemText", () => {
  it("turns escaped line breaks of a one-line secret into real ones", () => {
    expect(pemText("-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\\n")).toBe(PEM);
    expect(pemText(`${PEM}\n`)).toBe(PEM);
  });
});
