import { ConfigurationError } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { readAzureConfig } from "./config.js";

const BASE = {
  BRUIN_AZURE_KEYVAULT_URL: "https://my-vault.vault.azure.net/",
  BRUIN_AZURE_AUTH_METHOD: "client_credentials",
  BRUIN_AZURE_TENANT_ID: "tenant",
  BRUIN_AZURE_CLIENT_ID: "client",
  BRUIN_AZURE_CLIENT_SECRET: "client-secret-VALUE-4411",
};

function message(env: Record<string, string | undefined>): string {
  try {
    readAzureConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  return "no error";
}

const PREFIX = "failed to initialize Azure Key Vault client: ";

describe("readAzureConfig", () => {
  it("reads client credentials; the vault URL loses its trailing slash", () => {
    expect(readAzureConfig(BASE)).toEqual({
      vaultUrl: "https://my-vault.vault.azure.net",
      authMethod: "client_credentials",
      tenantId: "tenant",
      clientId: "client",
      clientSecret: "client-secret-VALUE-4411",
    });
  });

  it("defaults to the SDK's default credential chain, as the reference does", () => {
    expect(readAzureConfig({ BRUIN_AZURE_KEYVAULT_URL: "https://v.vault.azure.net" })).toEqual({
      vaultUrl: "https://v.vault.azure.net",
      authMethod: "default",
    });
  });

  it.each([
    [{ BRUIN_AZURE_KEYVAULT_URL: undefined }, "BRUIN_AZURE_KEYVAULT_URL env variable not set"],
    [{ BRUIN_AZURE_TENANT_ID: " " }, "BRUIN_AZURE_TENANT_ID env variable not set for client_credentials auth"],
    [{ BRUIN_AZURE_CLIENT_ID: "" }, "BRUIN_AZURE_CLIENT_ID env variable not set for client_credentials auth"],
    [
      { BRUIN_AZURE_CLIENT_SECRET: undefined },
      "BRUIN_AZURE_CLIENT_SECRET env variable not set for client_credentials auth",
    ],
    [{ BRUIN_AZURE_AUTH_METHOD: "password" }, "unsupported Azure auth method: password"],
  ])("names the problem in the reference's words: %j", (change, expected) => {
    expect(message({ ...BASE, ...change })).toBe(PREFIX + expected);
  });

  it("checks in the reference's order: the URL first, then the method's variables", () => {
    expect(message({ BRUIN_AZURE_AUTH_METHOD: "client_credentials" })).toBe(
      `${PREFIX}BRUIN_AZURE_KEYVAULT_URL env variable not set`,
    );
    expect(message({ ...BASE, BRUIN_AZURE_TENANT_ID: undefined, BRUIN_AZURE_CLIENT_ID: undefined })).toContain(
      "BRUIN_AZURE_TENANT_ID",
    );
  });

  it("never prints a value that is not a method name", () => {
    const text = message({ ...BASE, BRUIN_AZURE_AUTH_METHOD: "s3cr3t value/with+chars==" });
    expect(text).toBe(`${PREFIX}unsupported Azure auth method`);
  });

  it.each([
    "https://v.vault.azure.net",
    "https://v.vault.azure.cn",
    "https://v.vault.usgovcloudapi.net/",
    "https://V.VAULT.AZURE.NET",
  ])("accepts the Key Vault domain of %s", (url) => {
    expect(readAzureConfig({ BRUIN_AZURE_KEYVAULT_URL: url }).vaultUrl).toBe(url.replace(/\/$/, ""));
  });

  it.each([
    "http://v.vault.azure.net",
    "https://vault.azure.net.example.com",
    "https://v.vault.azure.net/secrets",
    "https://user:pw@v.vault.azure.net",
    "https://127.0.0.1:8443",
    "not a url",
  ])("refuses %s without an authority override, without printing it", (url) => {
    const text = message({ BRUIN_AZURE_KEYVAULT_URL: url });
    expect(text).toBe(
      `${PREFIX}invalid Azure Key Vault URL: must be https://<name>.vault.azure.net (or .vault.azure.cn, .vault.usgovcloudapi.net)`,
    );
  });

  it("an authority override (BRUIN_AZURE_AUTHORITY_HOST, else AZURE_AUTHORITY_HOST) lifts the domain check, not https", () => {
    const url = "https://127.0.0.1:8443";
    expect(
      readAzureConfig({ BRUIN_AZURE_KEYVAULT_URL: url, BRUIN_AZURE_AUTHORITY_HOST: "https://login.example/" }),
    ).toEqual({
      vaultUrl: url,
      authMethod: "default",
      authorityHost: "https://login.example",
    });
    expect(
      readAzureConfig({ BRUIN_AZURE_KEYVAULT_URL: url, AZURE_AUTHORITY_HOST: "https://aad.example" }).authorityHost,
    ).toBe("https://aad.example");
    expect(
      readAzureConfig({
        BRUIN_AZURE_KEYVAULT_URL: url,
        BRUIN_AZURE_AUTHORITY_HOST: "https://ours.example",
        AZURE_AUTHORITY_HOST: "https://theirs.example",
      }).authorityHost,
    ).toBe("https://ours.example");
    expect(
      message({ BRUIN_AZURE_KEYVAULT_URL: "http://127.0.0.1:8080", AZURE_AUTHORITY_HOST: "https://a.example" }),
    ).toContain("invalid Azure Key Vault URL: must be an https URL");
    expect(message({ BRUIN_AZURE_KEYVAULT_URL: url, BRUIN_AZURE_AUTHORITY_HOST: "http://a.example" })).toBe(
      `${PREFIX}BRUIN_AZURE_AUTHORITY_HOST must be an https URL such as https://login.microsoftonline.us`,
    );
  });

  it("keeps an optional tenant and client id for the other methods (a user-assigned managed identity)", () => {
    expect(
      readAzureConfig({
        BRUIN_AZURE_KEYVAULT_URL: "https://v.vault.azure.net",
        BRUIN_AZURE_AUTH_METHOD: "managed_identity",
        BRUIN_AZURE_CLIENT_ID: "uami",
        BRUIN_AZURE_CLIENT_SECRET: "ignored",
      }),
    ).toEqual({ vaultUrl: "https://v.vault.azure.net", authMethod: "managed_identity", clientId: "uami" });
  });
});
