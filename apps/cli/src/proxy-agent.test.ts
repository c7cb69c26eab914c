import { describe, expect, it } from "vitest";
import { proxyAgentFor } from "./proxy-agent.js";

const AWS = new URL("https://secretsmanager.eu-west-1.amazonaws.com");

describe("proxyAgentFor (the AWS SDK's HTTPS_PROXY / NO_PROXY)", () => {
  it("loads nothing and answers undefined without a proxy variable", async () => {
    expect(await proxyAgentFor({ NO_PROXY: "*" })).toBeUndefined();
  });

  it("HTTPS_PROXY (either case) applies to https endpoints, HTTP_PROXY to http ones and as the fallback", async () => {
    const https = (await proxyAgentFor({ https_proxy: "http://127.0.0.1:3128" }))!;
    expect(https(AWS)).toBeDefined();
    expect(https(new URL("http://127.0.0.1:4566"))).toBeUndefined();
    const http = (await proxyAgentFor({ HTTP_PROXY: "http://127.0.0.1:3128" }))!;
    expect(http(AWS)).toBeDefined();
    expect(http(new URL("http://127.0.0.1:4566"))).toBeDefined();
  });

  it.each([
    ["amazonaws.com", true],
    [".amazonaws.com", true],
    ["*.amazonaws.com", true],
    ["secretsmanager.eu-west-1.amazonaws.com:443", true],
    ["secretsmanager.eu-west-1.amazonaws.com:8443", false],
    ["example.com, *", true],
    ["zonaws.com", false],
    ["", false],
  ])("NO_PROXY=%j bypasses the proxy: %s", async (noProxy, bypassed) => {
    const agentFor = (await proxyAgentFor({ HTTPS_PROXY: "http://127.0.0.1:3128", NO_PROXY: noProxy }))!;
    expect(agentFor(AWS) === undefined).toBe(bypassed);
  });
});
