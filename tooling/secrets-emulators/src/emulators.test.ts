import { afterEach, describe, expect, it } from "vitest";
import { startDopplerEmulator, type DopplerEmulator } from "./doppler.js";
import { startVaultEmulator, type VaultEmulator } from "./vault.js";

let vault: VaultEmulator | undefined;
let doppler: DopplerEmulator | undefined;
afterEach(async () => {
  await vault?.stop();
  await doppler?.stop();
  vault = doppler = undefined;
});

const PG = { type: "postgres", details: { host: "h", password: "vault-emu-pw" } };

async function startVault(now?: () => number) {
  vault = await startVaultEmulator({
    seed: {
      tokens: [{ token: "root-token", deny: ["bruin/locked"] }],
      mounts: { secret: { "bruin/pg": PG, "bruin/team/x": PG, "bruin/locked/y": PG } },
      kubernetes: { roles: { reader: { jwt: "sa-jwt", ttlSeconds: 60 } } },
    },
    now,
  });
  return vault;
}

const get = (url: string, headers: Record<string, string> = {}, method = "GET", body?: string) =>
  fetch(url, { method, headers, body: body ?? null }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as any,
    headers: response.headers,
  }));

describe("vault emulator", () => {
  it("reads KV v2 data with a token, and refuses without one", async () => {
    const emulator = await startVault();
    const ok = await get(`${emulator.url}/v1/secret/data/bruin/pg`, { "X-Vault-Token": "root-token" });
    expect(ok.status).toBe(200);
    expect(ok.body.data.data).toEqual(PG);
    expect((await get(`${emulator.url}/v1/secret/data/bruin/pg`)).status).toBe(403);
    expect((await get(`${emulator.url}/v1/secret/data/bruin/pg`, { "X-Vault-Token": "nope" })).body).toEqual({
      errors: ["permission denied"],
    });
    expect((await get(`${emulator.url}/v1/secret/data/bruin/none`, { "X-Vault-Token": "root-token" })).status).toBe(
      404,
    );
    expect((await get(`${emulator.url}/v1/secret/data/bruin/locked/y`, { "X-Vault-Token": "root-token" })).status).toBe(
      403,
    );
    expect(emulator.count("read")).toBe(5);
  });

  // Node's HTTP parser knows no LIST method: the emulator serves Vault's documented equivalent, GET with ?list=true.
  it("lists keys with GET ?list=true", async () => {
    const emulator = await startVault();
    const listed = await get(`${emulator.url}/v1/secret/metadata/bruin?list=true`, { "X-Vault-Token": "root-token" });
    expect(listed.body.data.keys).toEqual(["locked/", "pg", "team/"]);
    const query = await get(`${emulator.url}/v1/secret/metadata/bruin/team?list=true`, {
      "X-Vault-Token": "root-token",
    });
    expect(query.body.data.keys).toEqual(["x"]);
    expect(emulator.count("list")).toBe(2);
  });

  it("logs in with a Kubernetes role; issued tokens expire", async () => {
    let clock = 1_000_000;
    const emulator = await startVault(() => clock);
    const bad = await get(
      `${emulator.url}/v1/auth/kubernetes/login`,
      {},
      "POST",
      JSON.stringify({ role: "reader", jwt: "other" }),
    );
    expect(bad.status).toBe(403);
    const role = await get(
      `${emulator.url}/v1/auth/kubernetes/login`,
      {},
      "POST",
      JSON.stringify({ role: "x", jwt: "sa-jwt" }),
    );
    expect(role.status).toBe(400);
    const login = await get(
      `${emulator.url}/v1/auth/kubernetes/login`,
      {},
      "POST",
      JSON.stringify({ role: "reader", jwt: "sa-jwt" }),
    );
    expect(login.body.auth.lease_duration).toBe(60);
    const token = login.body.auth.client_token as string;
    expect((await get(`${emulator.url}/v1/secret/data/bruin/pg`, { "X-Vault-Token": token })).status).toBe(200);
    clock += 61_000;
    expect((await get(`${emulator.url}/v1/secret/data/bruin/pg`, { "X-Vault-Token": token })).status).toBe(403);
    expect(emulator.count("login")).toBe(3);
  });

  it("injects 429 with Retry-After, 5xx and resets, in order, and counts them", async () => {
    const emulator = await startVault();
    emulator.inject({ match: "read", status: 429, retryAfter: 2, count: 1 });
    emulator.inject({ match: "read", status: 503, count: 1 });
    emulator.inject({ match: "read", reset: true, count: 1 });
    const url = `${emulator.url}/v1/secret/data/bruin/pg`;
    const limited = await get(url, { "X-Vault-Token": "root-token" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect((await get(url, { "X-Vault-Token": "root-token" })).status).toBe(503);
    await expect(fetch(url, { headers: { "X-Vault-Token": "root-token" } })).rejects.toThrow();
    expect((await get(url, { "X-Vault-Token": "root-token" })).status).toBe(200);
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 503, 0, 200]);
  });
});

describe("doppler emulator", () => {
  async function startDoppler() {
    doppler = await startDopplerEmulator({
      seed: {
        tokens: { "dp.st.good": { project: "app", config: "prd" } },
        projects: { app: { prd: { MY_PG: JSON.stringify(PG) }, dev: {} } },
      },
    });
    return doppler;
  }
  const download = (emulator: DopplerEmulator, token: string | undefined, project = "app", config = "prd") =>
    get(
      `${emulator.url}/v3/configs/config/secrets/download?project=${project}&config=${config}&format=json`,
      token ? { Authorization: `Bearer ${token}` } : {},
    );

  it("downloads the config's secrets as one flat object with a valid token", async () => {
    const emulator = await startDoppler();
    const ok = await download(emulator, "dp.st.good");
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.MY_PG)).toEqual(PG);
    expect(ok.body.DOPPLER_PROJECT).toBe("app");
  });

  it("answers 401 without a valid token, 403 for another config, 404 for an unknown one", async () => {
    const emulator = await startDoppler();
    expect((await download(emulator, undefined)).status).toBe(401);
    expect((await download(emulator, "dp.st.bad")).body).toEqual({ messages: ["Invalid Auth token"], success: false });
    expect((await download(emulator, "dp.st.good", "app", "dev")).status).toBe(403);
    emulator.inject({ status: 404, count: 1 });
    expect((await download(emulator, "dp.st.good")).status).toBe(404);
    expect(emulator.count("download")).toBe(4);
  });

  it("injects a 429 storm that ends", async () => {
    const emulator = await startDoppler();
    emulator.inject({ status: 429, retryAfter: null, count: 2 });
    const first = await download(emulator, "dp.st.good");
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBeNull();
    expect((await download(emulator, "dp.st.good")).status).toBe(429);
    expect((await download(emulator, "dp.st.good")).status).toBe(200);
  });
});
