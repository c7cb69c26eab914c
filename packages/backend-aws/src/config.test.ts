import { describe, expect, it } from "vitest";
import { displayEndpoint, readAwsConfig } from "./config.js";

const keys = { BRUIN_AWS_ACCESS_KEY_ID: "AKIAX", BRUIN_AWS_SECRET_ACCESS_KEY: "secret", BRUIN_AWS_REGION: "eu-west-1" };

describe("readAwsConfig", () => {
  it("reads the keys, the region and an optional session token", () => {
    expect(readAwsConfig(keys)).toEqual({
      region: "eu-west-1",
      credentials: { accessKeyId: "AKIAX", secretAccessKey: "secret" },
    });
    expect(readAwsConfig({ ...keys, BRUIN_AWS_SESSION_TOKEN: "tok" }).credentials?.sessionToken).toBe("tok");
  });

  it("without the keys leaves the credentials to the SDK's default chain", () => {
    expect(readAwsConfig({ BRUIN_AWS_REGION: "us-east-1" })).toEqual({ region: "us-east-1" });
    expect(readAwsConfig({ AWS_REGION: "ap-southeast-2" }).region).toBe("ap-southeast-2");
  });

  it.each([
    [{ ...keys, BRUIN_AWS_ACCESS_KEY_ID: " " }, "BRUIN_AWS_ACCESS_KEY_ID"],
    [{ ...keys, BRUIN_AWS_SECRET_ACCESS_KEY: undefined }, "BRUIN_AWS_SECRET_ACCESS_KEY"],
    [{ ...keys, BRUIN_AWS_REGION: "" }, "BRUIN_AWS_REGION"],
    [{ BRUIN_AWS_SESSION_TOKEN: "tok", BRUIN_AWS_REGION: "eu-west-1" }, "BRUIN_AWS_ACCESS_KEY_ID"],
  ])("names the missing variable (%#)", (env, name) => {
    expect(() => readAwsConfig(env)).toThrow(
      `failed to initialize AWS Secrets Manager client: ${name} env variable not set`,
    );
  });

  it("refuses a region that is not one, without showing the value", () => {
    expect(() => readAwsConfig({ ...keys, BRUIN_AWS_REGION: "wJalrXUtnFEMI/K7MDENG" })).toThrow(
      /^failed to initialize AWS Secrets Manager client: BRUIN_AWS_REGION must be an AWS region such as eu-west-1$/,
    );
  });

  it("takes the endpoint from BRUIN_AWS_ENDPOINT_URL, then the SDK's variables, unless they are ignored", () => {
    const sdk = { AWS_ENDPOINT_URL_SECRETS_MANAGER: "http://127.0.0.1:4566/", AWS_ENDPOINT_URL: "http://127.0.0.1:1" };
    expect(readAwsConfig({ ...keys, ...sdk, BRUIN_AWS_ENDPOINT_URL: "https://vpce.example" })).toMatchObject({
      endpoint: "https://vpce.example",
      endpointVariable: "BRUIN_AWS_ENDPOINT_URL",
    });
    expect(readAwsConfig({ ...keys, ...sdk })).toMatchObject({
      endpoint: "http://127.0.0.1:4566",
      endpointVariable: "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    });
    expect(readAwsConfig({ ...keys, AWS_ENDPOINT_URL: "http://127.0.0.1:1" }).endpointVariable).toBe(
      "AWS_ENDPOINT_URL",
    );
    expect(readAwsConfig({ ...keys, ...sdk, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }).endpoint).toBeUndefined();
    expect(() => readAwsConfig({ ...keys, BRUIN_AWS_ENDPOINT_URL: "secret-key" })).toThrow(
      /BRUIN_AWS_ENDPOINT_URL must be an http\(s\) URL/,
    );
  });

  it("shows the region's endpoint when none is configured", () => {
    expect(displayEndpoint(readAwsConfig(keys))).toBe("https://secretsmanager.eu-west-1.amazonaws.com");
    expect(displayEndpoint(readAwsConfig({ ...keys, BRUIN_AWS_REGION: "cn-north-1" }))).toBe(
      "https://secretsmanager.cn-north-1.amazonaws.com.cn",
    );
  });
});
