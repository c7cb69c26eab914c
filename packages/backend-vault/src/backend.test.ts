import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startVaultEmulator, type VaultEmulator } from "@bruin-ts/secrets-emulators";
import {
  AuthenticationError,
  ConfigurationError,
  ConnectionResolver,
  InvalidSecretError,
  NotFoundError,
  PermissionError,
  Redactor,
  UnavailableError,
  type SecretsError,
} from "@bruin-ts/secrets-core";
import { afterEach, describe, expect, it } from "vitest";
import { createVaultBackend } from "./backend.js";

const TOKEN = "hvs.VAULT-TEST-TOKEN-91ab";
const PASSWORD = "vault-pg-Pa55-MARKER-3c1";
const JWT = "eyJ.k8s-service-account-JWT-MARKER.sig";
const PG = { type: "postgres", details: { host: "db", port: 5432, username: "u", password: PASSWORD, database: "d" } };

let emulator: VaultEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start(now?: () => number): Promise<VaultEmulator> {
  emulator = await startVaultEmulator({
    seed: {
      tokens: [{ token: TOKEN, deny: ["bruin/locked"] }],
      mounts: {
        secret: {
          "bruin/pg": PG,
          "bruin/no-type": { details: {} },
          "bruin/team/x": PG,
          "bruin/locked": PG,
        },
      },
      kubernetes: { roles: { reader: { jwt: JWT, ttlSeconds: 60 } } },
    },
    now,
  });
  return emulator;
}

function env(e: VaultEmulator, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_VAULT_HOST: e.url,
    BRUIN_VAULT_TOKEN: TOKEN,
    BRUIN_VAULT_MOUNT_PATH: "secret",
    BRUIN_VAULT_PATH: "bruin",
    BRUIN_VAULT_RETRY_WAIT_MIN: "10ms",
    BRUIN_VAULT_RETRY_WAIT_MAX: "50ms",
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<SecretsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error("expected a rejection");
  return error as SecretsError;
}

describe("vault backend", () => {
  it("reads {mount}/data/{path}/{name} with the token; the data is the envelope", async () => {
    const e = await start();
    const redactor = new Redactor();
    const backend = createVaultBackend({ env: env(e), redactor, cwd: "/" });
    expect(await backend.get("pg")).toEqual({ name: "pg", type: "postgres", details: PG.details });
    expect(redactor.redact(`x ${TOKEN} ${PASSWORD}`)).toBe("x **** ****");
    expect(e.count("read")).toBe(1);
    expect(backend.describe()).toBe(`Vault at ${e.url} (mount 'secret', path 'bruin')`);
  });

  it("reads connections in parallel behind the resolver, one request each, cached for the run", async () => {
    const e = await start();
    e.put("secret", "bruin/pg2", PG);
    const backend = createVaultBackend({ env: env(e), redactor: new Redactor(), cwd: "/" });
    const resolver = new ConnectionResolver({ backend });
    const [a, b, again] = await Promise.all([resolver.resolve("pg"), resolver.resolve("pg2"), resolver.resolve("pg")]);
    expect([a.type, b.type, again.type]).toEqual(["postgres", "postgres", "postgres"]);
    await resolver.resolve("pg");
    expect(e.count("read")).toBe(2);
  });

  it("a 404 is 'not found', naming the connection; exit 3", async () => {
    const e = await start();
    const error = await failure(createVaultBackend({ env: env(e), redactor: new Redactor(), cwd: "/" }).get("nope"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.exitCode).toBe(3);
    expect(error.describe()).toContain("secret 'nope' not found in Vault");
    expect(error.describe()).toContain("mount 'secret', path 'bruin'");
  });

  it("a 403 is 'permission denied' with the policy hint", async () => {
    const e = await start();
    const error = await failure(createVaultBackend({ env: env(e), redactor: new Redactor(), cwd: "/" }).get("locked"));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.describe()).toContain("failed to read secret 'locked' from Vault: permission denied");
    expect(error.describe()).toMatch(/policy grants "read" on secret\/data\/bruin\/\*/);
    const bad = await failure(
      createVaultBackend({ env: env(e, { BRUIN_VAULT_TOKEN: "wrong" }), redactor: new Redactor(), cwd: "/" }).get("pg"),
    );
    expect(bad).toBeInstanceOf(PermissionError);
    expect(bad.describe()).toContain("BRUIN_VAULT_TOKEN");
  });

  it("refuses a secret without type, and names that could leave the path", async () => {
    const e = await start();
    const backend = createVaultBackend({ env: env(e), redactor: new Redactor(), cwd: "/" });
    const invalid = await failure(backend.get("no-type"));
    expect(invalid).toBeInstanceOf(InvalidSecretError);
    expect(invalid.connection).toBe("no-type");
    const traversal = await failure(backend.get(".."));
    expect(traversal).toBeInstanceOf(ConfigurationError);
    expect(e.count("total")).toBe(1);
  });

  it("retries 429 (Retry-After), 5xx and resets, then reads", async () => {
    const e = await start();
    e.inject({ match: "read", status: 429, retryAfter: 0, count: 1 });
    e.inject({ match: "read", status: 502, count: 1 });
    e.inject({ match: "read", reset: true, count: 1 });
    const backend = createVaultBackend({ env: env(e), redactor: new Redactor(), cwd: "/" });
    expect((await backend.get("pg")).type).toBe("postgres");
    expect(e.requests.map((request) => request.status)).toEqual([429, 502, 0, 200]);
  });

  it("gives up after BRUIN_VAULT_MAX_RETRIES, saying it was rate-limited", async () => {
    const e = await start();
    e.inject({ match: "read", status: 429, retryAfter: null, count: Infinity });
    const error = await failure(
      createVaultBackend({ env: env(e, { BRUIN_VAULT_MAX_RETRIES: "2" }), redactor: new Redactor(), cwd: "/" }).get(
        "pg",
      ),
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.describe()).toContain("kept rate-limiting the requests (HTTP 429, 3 attempts)");
    expect(e.count("read")).toBe(3);
  });

  it("ends within BRUIN_VAULT_TIMEOUT when the server does not answer", async () => {
    const e = await start();
    e.inject({ match: "read", delayMs: 5_000, status: 500, count: 1 });
    const started = Date.now();
    const error = await failure(
      createVaultBackend({ env: env(e, { BRUIN_VAULT_TIMEOUT: "300ms" }), redactor: new Redactor(), cwd: "/" }).get(
        "pg",
      ),
    );
    expect(error.describe()).toContain("did not answer within BRUIN_VAULT_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("lists the secrets under the path, leaving folders out", async () => {
    const e = await start();
    const backend = createVaultBackend({ env: env(e), redactor: new Redactor(), cwd: "/" });
    expect(await backend.list()).toEqual(["locked", "no-type", "pg"]);
    expect(e.count("list")).toBe(1);
  });
});

describe("vault backend with Kubernetes auth", () => {
  function tokenFile(content = JWT): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "vault-sa-")), "token");
    writeFileSync(file, `${content}\n`);
    return file;
  }
  const k8s = (e: VaultEmulator, extra: Record<string, string | undefined> = {}) =>
    env(e, {
      BRUIN_VAULT_TOKEN: undefined,
      BRUIN_VAULT_ROLE: "reader",
      BRUIN_VAULT_K8S_TOKEN_PATH: tokenFile(),
      ...extra,
    });

  it("logs in once with the service-account token and reads; the JWT and issued token are masked", async () => {
    const e = await start();
    const redactor = new Redactor();
    const backend = createVaultBackend({ env: k8s(e), redactor, cwd: "/" });
    e.put("secret", "bruin/pg2", PG);
    await Promise.all([backend.get("pg"), backend.get("pg2")]);
    expect(e.count("login")).toBe(1);
    expect(backend.logins).toBe(1);
    expect(redactor.redact(JWT)).toBe("****");
  });

  it("logs in again when the lease is about to end", async () => {
    let clock = 1_000_000;
    const e = await start(() => clock);
    const backend = createVaultBackend({ env: k8s(e), redactor: new Redactor(), cwd: "/" }, { now: () => clock });
    await backend.get("pg");
    clock += 55_000;
    await backend.get("pg");
    expect(e.count("login")).toBe(2);
  });

  it("logs in again when a token is refused mid-run", async () => {
    const e = await start();
    const backend = createVaultBackend({ env: k8s(e), redactor: new Redactor(), cwd: "/" });
    await backend.get("pg");
    e.expireIssuedTokens();
    expect((await backend.get("pg")).type).toBe("postgres");
    expect(e.count("login")).toBe(2);
  });

  it("a refused login is an authentication error naming the role, without the JWT", async () => {
    const e = await start();
    const file = tokenFile("wrong.jwt.value");
    const error = await failure(
      createVaultBackend({ env: k8s(e, { BRUIN_VAULT_K8S_TOKEN_PATH: file }), redactor: new Redactor(), cwd: "/" }).get(
        "pg",
      ),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.describe()).toContain("failed to login to the secrets backend");
    expect(error.describe()).toContain("role 'reader'");
    expect(error.describe()).not.toContain("wrong.jwt.value");
  });

  it("one shared login: its failure names each connection that waited for it", async () => {
    const e = await start();
    const backend = createVaultBackend({
      env: k8s(e, { BRUIN_VAULT_K8S_TOKEN_PATH: tokenFile("wrong.jwt.value") }),
      redactor: new Redactor(),
      cwd: "/",
    });
    const { failures } = await new ConnectionResolver({ backend }).resolveAll(["pg", "pg2"]);
    expect(failures.map((f) => [f.kind, f.connection]).sort()).toEqual([
      ["authentication", "pg"],
      ["authentication", "pg2"],
    ]);
    expect(e.count("login")).toBe(1);
  });

  it("a missing service-account token file is a configuration error naming the file", async () => {
    const e = await start();
    const error = await failure(
      createVaultBackend({
        env: k8s(e, { BRUIN_VAULT_K8S_TOKEN_PATH: "/nonexistent/token" }),
        redactor: new Redactor(),
        cwd: "/",
      }).get("pg"),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.describe()).toContain("failed to read service account token: /nonexistent/token (ENOENT)");
    expect(e.count("total")).toBe(0);
  });
});
