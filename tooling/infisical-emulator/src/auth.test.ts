import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { startEmulator, type Emulator } from "./index.js";
import { CLIENT_SECRET, PROJECT, failure, loginSdk, sdkStatus, seed } from "./test-support/fixtures.js";

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ seed: seed() });
});
afterEach(async () => {
  await emu.stop();
});

async function postJson(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("universal auth login", () => {
  it("issues a bearer token with the identity's TTLs", async () => {
    const res = await postJson("/api/v1/auth/universal-auth/login", {
      clientId: "ci-short",
      clientSecret: "short-secret",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expiresIn: 60, accessTokenMaxTTL: 300, tokenType: "Bearer" });
    expect(typeof res.body.accessToken).toBe("string");
    expect((res.body.accessToken as string).length).toBeGreaterThan(20);
  });

  it("defaults both TTLs to 30 days", async () => {
    const res = await postJson("/api/v1/auth/universal-auth/login", {
      clientId: "ci-reader",
      clientSecret: CLIENT_SECRET,
    });
    expect(res.body).toMatchObject({ expiresIn: 2592000, accessTokenMaxTTL: 2592000 });
  });

  it("logs in through the SDK and reads with the token", async () => {
    const sdk = await loginSdk(emu.url);
    expect(sdk.auth().getAccessToken()).toBeTruthy();
    const secret = await sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", secretName: "API_KEY" });
    expect(secret.secretValue).toBe("dev-api-key");
  });

  it("rejects a wrong secret or unknown client id with 401 Invalid credentials, without echoing the secret", async () => {
    for (const body of [
      { clientId: "ci-reader", clientSecret: "wrong" },
      { clientId: "nobody", clientSecret: CLIENT_SECRET },
    ]) {
      const res = await postJson("/api/v1/auth/universal-auth/login", body);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: "UnauthorizedError", message: "Invalid credentials" });
      expect(typeof res.body.reqId).toBe("string");
      expect(JSON.stringify(res.body)).not.toContain(CLIENT_SECRET);
    }
    const error = await failure(() => loginSdk(emu.url, "ci-reader", "wrong"));
    expect(error.name).toBe("InfisicalSDKRequestError");
    expect(sdkStatus(error)).toBe(401);
    expect(error.message).toContain("Invalid credentials");
  });

  it("rejects an expired client secret", async () => {
    const error = await failure(() => loginSdk(emu.url, "ci-expired", "expired-secret"));
    expect(sdkStatus(error)).toBe(401);
    expect(error.message).toContain("Access denied due to expired client secret");
  });

  it("counts each login against the client secret's usage limit", async () => {
    await loginSdk(emu.url, "ci-limited", "limited-secret");
    await loginSdk(emu.url, "ci-limited", "limited-secret");
    const error = await failure(() => loginSdk(emu.url, "ci-limited", "limited-secret"));
    expect(sdkStatus(error)).toBe(401);
    expect(error.message).toContain("Access denied due to client secret usage limit reached");
  });

  it("answers 422 ValidationFailure with an issue list for a body without clientSecret", async () => {
    const res = await postJson("/api/v1/auth/universal-auth/login", { clientId: "ci-reader" });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("ValidationFailure");
    expect(res.body.message).toEqual([expect.objectContaining({ path: ["clientSecret"], message: "Required" })]);
  });
});

describe("token expiry and renewal", () => {
  it("answers 403 TokenError once the TTL has passed on the emulator clock", async () => {
    const sdk = await loginSdk(emu.url, "ci-short", "short-secret");
    await sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", secretName: "API_KEY" });
    emu.advanceTime(61);
    const error = await failure(() =>
      sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", secretName: "API_KEY" }),
    );
    expect(sdkStatus(error)).toBe(403);
    expect(error.message).toContain("Your token has expired. Please re-authenticate.");
  });

  it("renews the same token to a new expiry, so reads work past the original TTL", async () => {
    const sdk = await loginSdk(emu.url, "ci-short", "short-secret");
    const before = sdk.auth().getAccessToken();
    emu.advanceTime(50);
    await sdk.auth().universalAuth.renew();
    expect(sdk.auth().getAccessToken()).toBe(before);
    emu.advanceTime(50); // 100 s after login, 50 s after renewal
    const secret = await sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", secretName: "API_KEY" });
    expect(secret.secretValue).toBe("dev-api-key");
  });

  it("returns the login shape from renew", async () => {
    const login = await postJson("/api/v1/auth/universal-auth/login", {
      clientId: "ci-short",
      clientSecret: "short-secret",
    });
    const renew = await postJson("/api/v1/auth/token/renew", { accessToken: login.body.accessToken });
    expect(renew.status).toBe(200);
    expect(renew.body).toEqual({
      accessToken: login.body.accessToken,
      expiresIn: 60,
      accessTokenMaxTTL: 300,
      tokenType: "Bearer",
    });
  });

  it("refuses renewal past the max TTL with 401, keeping 403 TokenError for reads", async () => {
    const sdk = await loginSdk(emu.url, "ci-short", "short-secret");
    for (let i = 0; i < 4; i += 1) {
      emu.advanceTime(55);
      await sdk.auth().universalAuth.renew();
    }
    emu.advanceTime(85); // 305 s after login: past the 300 s max TTL
    const error = await failure(() => sdk.auth().universalAuth.renew());
    expect(sdkStatus(error)).toBe(401);
    expect(error.message).toContain("Failed to renew MI access token due to Max TTL expiration");
    const read = await failure(() =>
      sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", secretName: "API_KEY" }),
    );
    expect(sdkStatus(read)).toBe(403);
  });

  it("refuses a renewal whose new expiry would pass the max TTL", async () => {
    const sdk = await loginSdk(emu.url, "ci-short", "short-secret");
    for (let i = 0; i < 4; i += 1) {
      emu.advanceTime(50);
      await sdk.auth().universalAuth.renew();
    }
    emu.advanceTime(45); // renewing at 245 s would run to 305 s, past the 300 s max TTL
    const error = await failure(() => sdk.auth().universalAuth.renew());
    expect(sdkStatus(error)).toBe(401);
    expect(error.message).toContain("Failed to renew MI access token past its Max TTL expiration");
  });

  it("answers 403 TokenError when renewing an expired or unknown token", async () => {
    const sdk = await loginSdk(emu.url, "ci-short", "short-secret");
    emu.advanceTime(61);
    const expired = await failure(() => sdk.auth().universalAuth.renew());
    expect(sdkStatus(expired)).toBe(403);
    expect(expired.message).toContain("Your token has expired");
    const unknown = await postJson("/api/v1/auth/token/renew", { accessToken: "not-a-token" });
    expect(unknown.status).toBe(403);
    expect(unknown.body.error).toBe("TokenError");
  });

  it("expireAllTokens expires every issued token", async () => {
    const sdk = await loginSdk(emu.url);
    emu.expireAllTokens();
    const error = await failure(() => sdk.secrets().listSecrets({ projectId: PROJECT, environment: "dev" }));
    expect(sdkStatus(error)).toBe(403);
    expect(error.message).toContain("Your token has expired");
    const fresh = await loginSdk(emu.url);
    await expect(fresh.secrets().listSecrets({ projectId: PROJECT, environment: "dev" })).resolves.toBeDefined();
  });

  it("answers 401 Token missing without a usable Authorization header", async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: "Basic abc" },
      { authorization: "Bearer unknown-token" },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${emu.url}/api/v3/secrets/raw?workspaceId=${PROJECT}&environment=dev`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ statusCode: 401, error: "UnauthorizedError", message: "Token missing" });
    }
  });
});
