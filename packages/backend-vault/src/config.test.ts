import { describe, expect, it } from "vitest";
import { readVaultConfig } from "./config.js";
import { parseGoDuration } from "./duration.js";

const BASE = {
  BRUIN_VAULT_HOST: "https://vault.example.com:8200/",
  BRUIN_VAULT_TOKEN: "t",
  BRUIN_VAULT_PATH: "/bruin/",
  BRUIN_VAULT_MOUNT_PATH: "secret",
};

function message(env: Record<string, string | undefined>): string {
  try {
    readVaultConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("readVaultConfig", () => {
  it("reads the variables with the documented defaults", () => {
    expect(readVaultConfig(BASE)).toMatchObject({
      host: "https://vault.example.com:8200",
      path: "bruin",
      mountPath: "secret",
      token: "t",
      k8sAuthMount: "kubernetes",
      serviceAccountTokenPath: "/var/run/secrets/kubernetes.io/serviceaccount/token",
      timeoutMs: 30_000,
      maxRetries: 3,
      retryWaitMinMs: 200,
      retryWaitMaxMs: 2_000,
    });
  });

  it.each([
    ["BRUIN_VAULT_HOST", { BRUIN_VAULT_HOST: undefined }, "BRUIN_VAULT_HOST env variable not set"],
    ["the token and role", { BRUIN_VAULT_TOKEN: " " }, "BRUIN_VAULT_TOKEN or BRUIN_VAULT_ROLE env variable not set"],
    ["BRUIN_VAULT_PATH", { BRUIN_VAULT_PATH: "" }, "BRUIN_VAULT_PATH env variable not set"],
    ["BRUIN_VAULT_MOUNT_PATH", { BRUIN_VAULT_MOUNT_PATH: undefined }, "BRUIN_VAULT_MOUNT_PATH env variable not set"],
  ])("names %s when it is missing, as the reference does", (_label, change, text) => {
    expect(message({ ...BASE, ...change })).toBe(`failed to initialize vault client: ${text}`);
  });

  it("accepts a role instead of a token", () => {
    expect(
      readVaultConfig({
        ...BASE,
        BRUIN_VAULT_TOKEN: undefined,
        BRUIN_VAULT_ROLE: "r",
        BRUIN_VAULT_K8S_AUTH_MOUNT: "/k8s/",
      }),
    ).toMatchObject({
      token: undefined,
      role: "r",
      k8sAuthMount: "k8s",
    });
  });

  it.each([
    ["BRUIN_VAULT_TIMEOUT", "30"],
    ["BRUIN_VAULT_TIMEOUT", "0s"],
    ["BRUIN_VAULT_TIMEOUT", "-5s"],
    ["BRUIN_VAULT_RETRY_WAIT_MIN", "1sec"],
    ["BRUIN_VAULT_RETRY_WAIT_MAX", "abc"],
    ["BRUIN_VAULT_MAX_RETRIES", "-1"],
    ["BRUIN_VAULT_MAX_RETRIES", "two"],
  ])("refuses %s=%s, naming the variable and not the value", (name, value) => {
    const text = message({ ...BASE, [name]: value });
    expect(text).toContain(name);
    expect(text).not.toContain(`=${value}`);
  });

  it("refuses a minimum wait longer than the maximum", () => {
    expect(message({ ...BASE, BRUIN_VAULT_RETRY_WAIT_MIN: "3s" })).toContain(
      "BRUIN_VAULT_RETRY_WAIT_MIN must not be longer than BRUIN_VAULT_RETRY_WAIT_MAX",
    );
  });

  it("refuses a host that is not an http(s) URL without printing it", () => {
    const text = message({ ...BASE, BRUIN_VAULT_HOST: "hvs.secret-looking" });
    expect(text).toContain("BRUIN_VAULT_HOST must be an http(s) URL");
    expect(text).not.toContain("hvs.secret-looking");
  });
});

describe("parseGoDuration", () => {
  it.each([
    ["300ms", 300],
    ["1.5s", 1_500],
    ["2h45m", 9_900_000],
    ["1m30s", 90_000],
    ["0", 0],
    ["-1s", -1_000],
    ["500us", 0.5],
    ["1000000ns", 1],
  ])("%s is %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms);
  });

  it.each(["", "30", "1sec", "s", "1.s.", "--1s", "1s 2s"])("refuses %j", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
