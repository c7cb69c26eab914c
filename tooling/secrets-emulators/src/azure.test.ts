import { Agent, request } from "node:https";
import { rootCertificates } from "node:tls";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAzureEmulator, type AzureEmulator } from "./azure.js";

const TENANT = "tenant-1";
const PG = JSON.stringify({ type: "postgres", details: { host: "h", password: "azure-emu-pw" } });

let emulator: AzureEmulator;
let agent: Agent;
beforeAll(async () => {
  emulator = await startAzureEmulator({
    seed: {
      tenant: TENANT,
      clients: [
        { clientId: "app", clientSecret: "app-secret", deny: ["locked"] },
        { clientId: "no-list", clientSecret: "x", noList: true },
      ],
      secrets: { pg: PG, locked: PG, a: "1", b: "2", off: { value: "3", enabled: false } },
      pageSize: 2,
    },
  });
  agent = new Agent({ ca: [...rootCertificates, emulator.ca!] });
}, 30_000);
afterAll(async () => {
  agent?.destroy();
  await emulator?.stop();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.url}${path}`, { method, headers, agent }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function token(clientId = "app", clientSecret = "app-secret"): Promise<string> {
  const reply = await call(
    "POST",
    `/${TENANT}/oauth2/v2.0/token`,
    FORM,
    form({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
      scope: "https://vault.azure.net/.default",
    }),
  );
  expect(reply.status).toBe(200);
  return reply.body.access_token as string;
}

describe("azure emulator", () => {
  it("serves the tenant's metadata and issues client-credential tokens", async () => {
    const metadata = await call("GET", `/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(metadata.body.token_endpoint).toBe(`${emulator.url}/${TENANT}/oauth2/v2.0/token`);
    const issued = await token();
    expect(emulator.issuedTokens()).toContain(issued);
    const wrong = await call(
      "POST",
      `/${TENANT}/oauth2/v2.0/token`,
      FORM,
      form({
        grant_type: "client_credentials",
        client_id: "app",
        client_secret: "nope",
        scope: "https://vault.azure.net/.default",
      }),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
    const tenant = await call("POST", "/other/oauth2/v2.0/token", FORM, form({ grant_type: "client_credentials" }));
    expect(tenant.status).toBe(400);
    expect(tenant.body.error_description).toContain("AADSTS90002");
  });

  it("answers a request without a token with the 401 challenge", async () => {
    const reply = await call("GET", "/secrets/pg?api-version=2025-07-01");
    expect(reply.status).toBe(401);
    expect(reply.headers["www-authenticate"]).toBe(
      `Bearer authorization="${emulator.url}/${TENANT}", resource="https://vault.azure.net"`,
    );
  });

  it("reads secrets with a token: 200, 404, 403 for a denied or disabled one", async () => {
    const auth = { authorization: `Bearer ${await token()}` };
    const ok = await call("GET", "/secrets/pg/?api-version=7.5", auth);
    expect(ok.status).toBe(200);
    expect(ok.body.value).toBe(PG);
    expect(ok.body.id).toMatch(new RegExp(`^${emulator.url}/secrets/pg/[0-9a-f]{32}$`));
    const missing = await call("GET", "/secrets/none?api-version=7.5", auth);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("SecretNotFound");
    expect((await call("GET", "/secrets/locked?api-version=7.5", auth)).body.error.innererror.code).toBe(
      "AccessDenied",
    );
    expect((await call("GET", "/secrets/off?api-version=7.5", auth)).body.error.innererror.code).toBe("SecretDisabled");
    expect((await call("GET", "/secrets/pg", auth)).status).toBe(400);
  });

  it("lists secrets a page at a time with nextLink; a client without list permission gets 403", async () => {
    const auth = { authorization: `Bearer ${await token()}` };
    const first = await call("GET", "/secrets?api-version=7.5", auth);
    expect(first.body.value.map((item: { id: string }) => item.id.split("/").pop())).toEqual(["a", "b"]);
    const next = new URL(first.body.nextLink as string);
    const second = await call("GET", `${next.pathname}${next.search}`, auth);
    expect(second.body.value).toHaveLength(2);
    const noList = { authorization: `Bearer ${await token("no-list", "x")}` };
    expect((await call("GET", "/secrets?api-version=7.5", noList)).status).toBe(403);
  });

  it("injects 429 with Retry-After, 5xx and resets, in order, and counts them", async () => {
    const auth = { authorization: `Bearer ${await token()}` };
    const before = emulator.requests.length;
    emulator.inject({ match: "get", status: 429, retryAfter: 2, count: 1 });
    emulator.inject({ match: "get", status: 503, count: 1 });
    emulator.inject({ match: "get", reset: true, count: 1 });
    const limited = await call("GET", "/secrets/pg?api-version=7.5", auth);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("2");
    expect(limited.body.error.code).toBe("Throttled");
    expect((await call("GET", "/secrets/pg?api-version=7.5", auth)).status).toBe(503);
    await expect(call("GET", "/secrets/pg?api-version=7.5", auth)).rejects.toThrow();
    expect((await call("GET", "/secrets/pg?api-version=7.5", auth)).status).toBe(200);
    expect(emulator.requests.slice(before).map((logged) => logged.status)).toEqual([429, 503, 0, 200]);
  });

  it("serves the official client: credential, challenge, reads and paged listing", async () => {
    const credential = new ClientSecretCredential(TENANT, "app", "app-secret", {
      authorityHost: emulator.url,
      disableInstanceDiscovery: true,
      agent,
    });
    const client = new SecretClient(emulator.url, credential, { disableChallengeResourceVerification: true, agent });
    const before = emulator.count("token");
    expect((await client.getSecret("pg")).value).toBe(PG);
    const names: string[] = [];
    for await (const properties of client.listPropertiesOfSecrets()) names.push(properties.name);
    expect(names).toEqual(["a", "b", "locked", "off", "pg"]);
    expect(emulator.count("token")).toBe(before + 1);
    await expect(client.getSecret("none")).rejects.toMatchObject({ statusCode: 404 });
  });
});
