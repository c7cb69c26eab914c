import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import { rootCertificates } from "node:tls";
import { makeTestCertificates, type TestCertificates } from "@bruin-ts/infisical-emulator";
import { startAzureEmulator, type AzureEmulator, type AzureSeed } from "@bruin-ts/secrets-emulators";
import {
  AuthenticationError,
  ConfigurationError,
  ConnectionResolver,
  InvalidSecretError,
  NotFoundError,
  PermissionError,
  Redactor,
  UnavailableError,
  UnparsableSecretError,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAzureBackend, keyVaultName, type AzureBackendOptions } from "./backend.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT_ID = "bruin-app-client-id";
const CLIENT_SECRET = "azure-CLIENT-Secret-MARKER~9f2";
const PASSWORD = "azure-pg-Pa55-MARKER-7e4";
const PG = { type: "postgres", details: { host: "db", port: 5432, username: "u", password: PASSWORD, database: "d" } };

let certificates: TestCertificates;
let agent: Agent;
let emulator: AzureEmulator | undefined;
beforeAll(async () => {
  certificates = await makeTestCertificates();
  agent = new Agent({ ca: [...rootCertificates, readFileSync(certificates.caFile, "utf8")] });
}, 30_000);
afterAll(async () => {
  agent?.destroy();
  await certificates?.remove();
});
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start(seed: Partial<AzureSeed> = {}): Promise<AzureEmulator> {
  emulator = await startAzureEmulator({
    seed: {
      tenant: TENANT,
      clients: [
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, deny: ["locked"] },
        { clientId: "reader-no-list", clientSecret: "other-secret-value", noList: true },
      ],
      secrets: {
        pg: JSON.stringify(PG),
        "my-pg": JSON.stringify(PG),
        "no-type": JSON.stringify({ details: {} }),
        "not-json": `{"type": "postgres", "details": {"password": "${PASSWORD}"`,
        locked: JSON.stringify(PG),
        off: { value: JSON.stringify(PG), enabled: false },
        "cert-backing": { value: "-----BEGIN PRIVATE KEY-----", managed: true },
      },
      ...seed,
    },
    tls: certificates.valid,
  });
  return emulator;
}

function env(e: AzureEmulator, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_AZURE_KEYVAULT_URL: e.url,
    BRUIN_AZURE_AUTH_METHOD: "client_credentials",
    BRUIN_AZURE_TENANT_ID: TENANT,
    BRUIN_AZURE_CLIENT_ID: CLIENT_ID,
    BRUIN_AZURE_CLIENT_SECRET: CLIENT_SECRET,
    BRUIN_AZURE_AUTHORITY_HOST: e.url,
    ...extra,
  };
}

function backendFor(
  e: AzureEmulator,
  extra: Record<string, string | undefined> = {},
  options: AzureBackendOptions = {},
  redactor = new Redactor(),
) {
  return createAzureBackend(
    { env: env(e, extra), redactor, cwd: "/" },
    { agent, retryDelayMs: 10, maxRetryDelayMs: 50, ...options },
  );
}

async function failure(promise: Promise<unknown>): Promise<SecretsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error("expected a rejection");
  return error as SecretsError;
}

function expectNoSecret(error: Error) {
  const text = `${error.message} ${(error as SecretsError).hint ?? ""} ${(error as SecretsError).detail ?? ""}`;
  expect(text).not.toContain(CLIENT_SECRET);
  expect(text).not.toContain(PASSWORD);
  for (const token of emulator?.issuedTokens() ?? []) expect(text).not.toContain(token);
}

describe("azure key vault backend", () => {
  it("reads a secret with client credentials: the SDK's challenge, one token, the envelope", async () => {
    const e = await start();
    const redactor = new Redactor();
    const backend = backendFor(e, {}, {}, redactor);
    expect(await backend.get("pg")).toEqual({ name: "pg", type: "postgres", details: PG.details });
    expect(e.requests.map((request) => `${request.route} ${request.status}`)).toEqual([
      "get 401",
      "metadata 200",
      "token 200",
      "get 200",
    ]);
    const [token] = e.issuedTokens();
    expect(redactor.redact(`x ${CLIENT_SECRET} ${PASSWORD} ${token}`)).toBe("x **** **** ****");
    expect(backend.describe()).toBe(`Azure Key Vault ${e.url} (auth method client_credentials)`);
    await backend.close();
  });

  it("reads connections in parallel with one token, through the resolver", async () => {
    const e = await start();
    const backend = backendFor(e);
    const { connections, failures } = await new ConnectionResolver({ backend }).resolveAll(["pg", "my_pg", "pg"]);
    expect(failures).toEqual([]);
    expect([...connections.keys()].sort()).toEqual(["my_pg", "pg"]);
    expect(e.count("token")).toBe(1);
    expect(e.requests.filter((request) => request.route === "get" && request.status === 200)).toHaveLength(2);
  });

  it("looks a connection up with '_' as '-' and keeps the connection's own name", async () => {
    const e = await start();
    expect(await backendFor(e).get("my_pg")).toMatchObject({ name: "my_pg", type: "postgres" });
    expect(keyVaultName("a_b-C9")).toBe("a-b-C9");
  });

  it.each(["a.b", "wh/x", "wh x", "ünï", "x".repeat(128), ""])(
    "refuses the name %j before any request",
    async (name) => {
      const e = await start();
      const error = await failure(backendFor(e).get(name));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.message).toContain("Key Vault secret names hold only letters, digits and '-'");
      expect(error.connection).toBe(name);
      expect(e.count("total")).toBe(0);
    },
  );

  it("a missing secret is a NotFoundError naming the connection and the name looked up", async () => {
    const e = await start();
    const error = await failure(backendFor(e).get("wh_missing"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(`secret 'wh_missing' not found in Azure Key Vault ${e.url} (looked up as 'wh-missing')`);
    expect(error.connection).toBe("wh_missing");
    expect(error.exitCode).toBe(3);
  });

  it("a secret the identity may not read is a PermissionError with the role hint; a disabled one says so", async () => {
    const e = await start();
    const backend = backendFor(e);
    const denied = await failure(backend.get("locked"));
    expect(denied).toBeInstanceOf(PermissionError);
    expect(denied.message).toBe(
      `failed to read secret 'locked' from Azure Key Vault: permission denied (HTTP 403; ${e.url})`,
    );
    expect(denied.hint).toContain("Key Vault Secrets User");
    const disabled = await failure(backend.get("off"));
    expect(disabled).toBeInstanceOf(PermissionError);
    expect(disabled.message).toContain("the secret is disabled");
  });

  it("a wrong client secret is an AuthenticationError that never holds a secret", async () => {
    const e = await start();
    const error = await failure(backendFor(e, { BRUIN_AZURE_CLIENT_SECRET: "wrong-secret-value-123" }).get("pg"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe(
      "failed to read secret 'pg' from Azure Key Vault: Azure AD refused the client credentials (invalid_client, AADSTS7000215)",
    );
    expect(error.hint).toContain("BRUIN_AZURE_CLIENT_SECRET");
    expect(error.message).not.toContain("wrong-secret-value-123");
    expectNoSecret(error);
    expect(e.count("token")).toBe(1);
  });

  it("an unknown tenant is an AuthenticationError", async () => {
    const e = await start();
    const error = await failure(backendFor(e, { BRUIN_AZURE_TENANT_ID: "other-tenant" }).get("pg"));
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoSecret(error);
  });

  it("parallel reads with a wrong client secret make one token request and all report it", async () => {
    const e = await start();
    const backend = backendFor(e, { BRUIN_AZURE_CLIENT_SECRET: "wrong-secret-value-123" });
    const { failures } = await new ConnectionResolver({ backend }).resolveAll(["pg", "my-pg", "locked"]);
    expect(failures.map((error) => error.constructor)).toEqual([
      AuthenticationError,
      AuthenticationError,
      AuthenticationError,
    ]);
    expect(e.count("token")).toBe(1);
  });

  it("the token request rides out a 429 and a 503, and reports an authority that keeps failing", async () => {
    const e = await start();
    e.inject({ match: "token", status: 429, retryAfter: null, count: 1 });
    e.inject({ match: "token", status: 503, retryAfter: null, count: 1 });
    expect((await backendFor(e).get("pg")).type).toBe("postgres");
    expect(e.requests.filter((request) => request.route === "token").map((request) => request.status)).toEqual([
      429, 503, 200,
    ]);
    const down = await start();
    down.inject({ match: "token", status: 500, count: Infinity });
    const error = await failure(backendFor(down, {}, { maxRetries: 1 }).get("pg"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(
      `failed to read secret 'pg' from Azure Key Vault: the token request failed: ${down.url} is unavailable (HTTP 500, 2 attempts)`,
    );
    expectNoSecret(error);
  });

  it("auth method cli without the Azure CLI is an AuthenticationError with the az login hint", async () => {
    const e = await start();
    const error = await failure(
      createAzureBackend(
        {
          env: { BRUIN_AZURE_KEYVAULT_URL: e.url, BRUIN_AZURE_AUTH_METHOD: "cli", BRUIN_AZURE_AUTHORITY_HOST: e.url },
          redactor: new Redactor(),
          cwd: "/",
        },
        { agent },
      ).get("pg"),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain("no Azure credential (auth method cli)");
    expect(error.hint).toContain("az login");
  });

  it("invalid secrets name the connection, never the value", async () => {
    const e = await start();
    const backend = backendFor(e);
    const noType = await failure(backend.get("no-type"));
    expect(noType).toBeInstanceOf(InvalidSecretError);
    expect(noType.message).toContain("connection 'no-type'");
    const notJson = await failure(backend.get("not-json"));
    expect(notJson).toBeInstanceOf(UnparsableSecretError);
    expectNoSecret(notJson);
  });

  it("retries 429 (Retry-After honoured), 429 without it, 5xx and reset connections", async () => {
    const e = await start();
    e.inject({ match: "get", status: 429, retryAfter: 1, count: 1 });
    e.inject({ match: "get", status: 429, retryAfter: null, count: 1 });
    e.inject({ match: "get", status: 503, retryAfter: null, count: 1 });
    e.inject({ match: "get", reset: true, count: 1 });
    const started = Date.now();
    expect((await backendFor(e, {}, { maxRetries: 5 }).get("pg")).type).toBe("postgres");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(e.requests.filter((request) => request.route === "get").map((request) => request.status)).toEqual([
      429, 429, 503, 0, 401, 200,
    ]);
  });

  it("a 429 storm past the retries is an UnavailableError counting the attempts", async () => {
    const e = await start();
    e.inject({ match: "get", status: 429, retryAfter: null, count: Infinity });
    const error = await failure(backendFor(e, {}, { maxRetries: 2 }).get("pg"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(
      `failed to read secret 'pg' from Azure Key Vault: ${e.url} kept rate-limiting the requests (HTTP 429, 3 attempts)`,
    );
    expect(e.count("get")).toBe(3);
  });

  it("a Retry-After past the deadline gives up at once", async () => {
    const e = await start();
    e.inject({ match: "get", status: 429, retryAfter: 30, count: Infinity });
    const started = Date.now();
    const error = await failure(backendFor(e, {}, { timeoutMs: 2_000 }).get("pg"));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.message).toContain("kept rate-limiting the requests (HTTP 429, 1 attempt)");
    expect(e.count("get")).toBe(1);
  });

  it("5xx until the deadline says the vault is unavailable", async () => {
    const e = await start();
    e.inject({ match: "get", status: 500, count: Infinity, delayMs: 100 });
    const error = await failure(backendFor(e, {}, { timeoutMs: 800, maxRetries: 50 }).get("pg"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(new RegExp(`${e.url} is unavailable \\(HTTP 500, \\d+ attempts\\)`));
  });

  it("a vault that does not answer in time is a timeout", async () => {
    const e = await start();
    e.inject({ match: "get", delayMs: 3_000, status: 500, count: 1 });
    const error = await failure(backendFor(e, {}, { timeoutMs: 500 }).get("pg"));
    expect(error.message).toContain(`${e.url} did not answer within 0.5 s`);
  });

  it("lists the enabled secrets across pages, without certificate-backing ones", async () => {
    const e = await start({ pageSize: 2 });
    expect(await backendFor(e).list()).toEqual(["locked", "my-pg", "no-type", "not-json", "pg"]);
    expect(e.count("list")).toBeGreaterThanOrEqual(4);
  });

  it("a listing the identity may not make is a PermissionError asking for 'list'", async () => {
    const e = await start();
    const error = await failure(
      backendFor(e, {
        BRUIN_AZURE_CLIENT_ID: "reader-no-list",
        BRUIN_AZURE_CLIENT_SECRET: "other-secret-value",
      }).list(),
    );
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.message).toContain("failed to list secrets in Azure Key Vault: permission denied");
    expect(error.hint).toContain('"list"');
  });

  it("an untrusted certificate is a TLS error, not retried", async () => {
    const e = await start();
    const error = await failure(
      createAzureBackend({ env: env(e), redactor: new Redactor(), cwd: "/" }, { agent: new Agent() }).get("pg"),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/TLS error connecting to/);
    expect(e.count("total")).toBe(0);
  });

  it("the caller's abort and close() end a read in flight", async () => {
    const e = await start();
    e.inject({ match: "get", delayMs: 5_000, status: 500, count: 1 });
    const controller = new AbortController();
    const reason = new Error("interrupted");
    const backend = backendFor(e);
    const read = failure(backend.get("pg", controller.signal));
    setTimeout(() => controller.abort(reason), 200);
    expect(await read).toBe(reason);
  });

  it("every request goes to the overridden vault and authority, none to Azure's own hosts", async () => {
    const e = await start();
    const hosts: string[] = [];
    const onRequest = (message: unknown) => {
      const request = (message as { request: { host: string } }).request;
      hosts.push(request.host);
    };
    subscribe("http.client.request.start", onRequest);
    try {
      await backendFor(e).get("pg");
    } finally {
      unsubscribe("http.client.request.start", onRequest);
    }
    expect(hosts.length).toBe(4);
    expect(new Set(hosts)).toEqual(new Set(["127.0.0.1"]));
  });
});
