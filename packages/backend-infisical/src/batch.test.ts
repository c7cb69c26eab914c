import {
  ConnectionResolver,
  NotFoundError,
  PermissionError,
  UnavailableError,
  type ConnectionSecret,
} from "@bruin-ts/secrets-core";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BATCH_THRESHOLD } from "./read-batch.js";
import {
  BATCH_NAMES,
  batchPassword,
  batchSecret,
  leaks,
  makeBackend,
  rejection,
  withEmulator,
} from "./test-support/fixtures.js";
import { pickRequested, toConnectionSecret } from "./secret-answer.js";
import { readInfisicalConfig } from "./config.js";
import { Redactor } from "@bruin-ts/secrets-core";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.resetCounters();
  emulator.clearFaults();
  emulator.setLatency(0);
});

const IN_BATCH = { BRUIN_INFISICAL_SECRET_PATH: "/batch" };
const ASKED = BATCH_NAMES.slice(0, 6);
const NOT_ASKED = BATCH_NAMES.slice(6);

function expectConnection(secret: ConnectionSecret | undefined, name: string): void {
  expect(secret).toEqual({
    name,
    type: "postgres",
    details: { host: `${name}.internal`, port: 5432, username: "app", password: batchPassword(name), database: "d" },
  });
}

describe("from BATCH_THRESHOLD names on, one listing answers them all", () => {
  it("reads 6 connections with 1 login and 1 listing, and keeps nothing of the others", async () => {
    expect(BATCH_THRESHOLD).toBe(5);
    const { backend, redactor } = makeBackend(emulator, IN_BATCH);
    const secrets = await Promise.all(ASKED.map((name) => backend.get(name)));
    ASKED.forEach((name, index) => expectConnection(secrets[index], name));
    expect(emulator.counters).toMatchObject({ login: 1, listSecrets: 1, getSecret: 0, failed: 0 });
    // Asked-for values are masked like a single read's; the others were never registered.
    for (const name of ASKED) expect(redactor.redact(batchPassword(name))).toBe("****");
    for (const name of NOT_ASKED) {
      expect(redactor.redact(batchSecret(name))).toBe(batchSecret(name));
      expect(redactor.redact(batchPassword(name))).toBe(batchPassword(name));
    }
  });

  it("counts distinct names: the same name asked five times is one single read", async () => {
    const { backend } = makeBackend(emulator, IN_BATCH);
    const secrets = await Promise.all(Array.from({ length: 5 }, () => backend.get("batch-1")));
    for (const secret of secrets) expectConnection(secret, "batch-1");
    expect(emulator.counters).toMatchObject({ login: 1, getSecret: 1, listSecrets: 0 });
  });

  it("reads below the threshold one by one, and only what was asked", async () => {
    const { backend } = makeBackend(emulator, IN_BATCH);
    const few = BATCH_NAMES.slice(0, BATCH_THRESHOLD - 1);
    const secrets = await Promise.all(few.map((name) => backend.get(name)));
    few.forEach((name, index) => expectConnection(secrets[index], name));
    expect(emulator.counters).toMatchObject({ login: 1, getSecret: few.length, listSecrets: 0 });
  });

  it("fetches each name once through a ConnectionResolver, and a later turn makes its own batch", async () => {
    const { backend } = makeBackend(emulator, IN_BATCH);
    const resolver = new ConnectionResolver({ backend });
    const first = resolver.resolveAll([...ASKED, ...ASKED]);
    await new Promise((resolve) => setImmediate(resolve));
    const second = ASKED.map((name) => backend.get(name));
    const [{ connections, failures }] = await Promise.all([first, Promise.all(second)]);
    expect(failures).toEqual([]);
    expect([...connections.keys()]).toEqual(ASKED);
    expect(emulator.counters).toMatchObject({ login: 1, listSecrets: 2, getSecret: 0 });
  });
});

describe("names the listing cannot answer fall back to single reads", () => {
  it("reads a missing name on its own and reports it exactly as a single read does", async () => {
    const single = await rejection(() => makeBackend(emulator, IN_BATCH).backend.get("batch-missing"));
    emulator.resetCounters();
    const { backend, redactor } = makeBackend(emulator, IN_BATCH);
    const names = [...ASKED.slice(0, 5), "batch-missing"];
    const results = await Promise.allSettled(names.map((name) => backend.get(name)));
    expect(results.slice(0, 5).every((result) => result.status === "fulfilled")).toBe(true);
    const error = (results[5] as PromiseRejectedResult).reason as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(single.message);
    expect(error.message).toMatch(/^failed to read secret from Infisical: secret 'batch-missing' not found/);
    expect(emulator.counters).toMatchObject({ login: 1, listSecrets: 1, getSecret: 1 });
    expect(redactor.redact(error.describe())).toBe(error.describe());
  });

  it("keeps from a listing only the shared secrets asked for: a name it lacks is left to a single read", () => {
    const listing = [
      { secretKey: "batch-1", secretValue: batchSecret("batch-1"), type: "shared" },
      { secretKey: "batch-3", secretValue: "personal", type: "personal" },
      { secretKey: "batch-7", secretValue: batchSecret("batch-7"), type: "shared" },
    ];
    const picked = pickRequested(listing, new Set(["batch-1", "batch-2", "batch-3"]), "shared");
    expect([...picked!.keys()]).toEqual(["batch-1"]);
    expect(pickRequested({ secrets: [] }, new Set(["batch-1"]), "shared")).toBeUndefined();
  });

  it("falls back to single reads for every name when the listing is refused", async () => {
    emulator.inject({ match: "listSecrets", status: 403, count: 1 });
    const { backend } = makeBackend(emulator, IN_BATCH);
    const secrets = await Promise.all(ASKED.map((name) => backend.get(name)));
    ASKED.forEach((name, index) => expectConnection(secrets[index], name));
    expect(emulator.counters).toMatchObject({ login: 1, listSecrets: 1, getSecret: ASKED.length });
  });

  it("lets each single read explain a denied environment", async () => {
    const { backend, redactor } = makeBackend(emulator, { BRUIN_INFISICAL_ENVIRONMENT: "prod" });
    const names = BATCH_NAMES.slice(0, 6);
    const results = await Promise.allSettled(names.map((name) => backend.get(name)));
    names.forEach((name, index) => {
      const error = (results[index] as PromiseRejectedResult).reason as PermissionError;
      expect(error).toBeInstanceOf(PermissionError);
      expect(error.message).toMatch(
        new RegExp(`^failed to read secret from Infisical: permission denied for secret '${name}'`),
      );
      expect(redactor.redact(error.describe())).toBe(error.describe());
    });
    expect(emulator.counters).toMatchObject({ login: 1, listSecrets: 1, getSecret: names.length });
  });

  it("lets each single read name a missing folder", async () => {
    const { backend } = makeBackend(emulator, { BRUIN_INFISICAL_SECRET_PATH: "/nowhere" });
    const results = await Promise.allSettled(ASKED.map((name) => backend.get(name)));
    for (const result of results) {
      expect((result as PromiseRejectedResult).reason.message).toMatch(
        /^failed to read secret from Infisical: folder '\/nowhere' not found/,
      );
    }
    expect(emulator.counters).toMatchObject({ listSecrets: 1, getSecret: ASKED.length });
  });

  it("applies the single read's checks to a listed value the identity may not see", () => {
    const config = readInfisicalConfig({
      BRUIN_INFISICAL_CLIENT_ID: "ci",
      BRUIN_INFISICAL_CLIENT_SECRET: "cs",
      BRUIN_INFISICAL_PROJECT_ID: "p",
      BRUIN_INFISICAL_ENVIRONMENT: "dev",
    });
    const hidden = {
      secretKey: "batch-1",
      secretValue: "<hidden-by-infisical>",
      secretValueHidden: true,
      type: "shared",
    };
    const picked = pickRequested([hidden], new Set(["batch-1"]), "shared")!;
    expect(() => toConnectionSecret("batch-1", picked.get("batch-1"), config, new Redactor())).toThrow(PermissionError);
    expect(() => toConnectionSecret("batch-1", picked.get("batch-1"), config, new Redactor())).toThrow(
      /permission denied to read the value of secret 'batch-1'/,
    );
  });
});

describe("BRUIN_INFISICAL_BATCH", () => {
  it("never: six names are six single reads, and the folder is never listed", async () => {
    const { backend } = makeBackend(emulator, { ...IN_BATCH, BRUIN_INFISICAL_BATCH: "never" });
    const secrets = await Promise.all(ASKED.map((name) => backend.get(name)));
    ASKED.forEach((name, index) => expectConnection(secrets[index], name));
    expect(emulator.counters).toMatchObject({ login: 1, listSecrets: 0, getSecret: ASKED.length, failed: 0 });
  });

  it("auto (the default, also when set): the same six names are one listing and no single read", async () => {
    for (const batch of [undefined, "auto"]) {
      emulator.resetCounters();
      const { backend } = makeBackend(emulator, { ...IN_BATCH, BRUIN_INFISICAL_BATCH: batch });
      const secrets = await Promise.all(ASKED.map((name) => backend.get(name)));
      ASKED.forEach((name, index) => expectConnection(secrets[index], name));
      expect(emulator.counters).toMatchObject({ login: 1, listSecrets: 1, getSecret: 0, failed: 0 });
    }
  });
});

describe("failures of the listing", () => {
  it("logs in again when the token expired and lists once more", async () => {
    const { backend } = makeBackend(emulator, IN_BATCH);
    await backend.get("batch-1");
    emulator.expireAllTokens();
    const secrets = await Promise.all(ASKED.map((name) => backend.get(name)));
    ASKED.forEach((name, index) => expectConnection(secrets[index], name));
    expect(emulator.counters).toMatchObject({ login: 2, getSecret: 1, listSecrets: 2 });
  });

  it("reports a persistent 500 for every name within the deadline", async () => {
    emulator.inject({ match: "listSecrets", status: 500, count: Infinity });
    const { backend, redactor } = makeBackend(emulator, IN_BATCH, { deadlineMs: 400, retryBaseMs: 20 });
    const started = Date.now();
    const results = await Promise.allSettled(ASKED.map((name) => backend.get(name)));
    expect(Date.now() - started).toBeLessThan(900);
    ASKED.forEach((name, index) => {
      const error = (results[index] as PromiseRejectedResult).reason as UnavailableError;
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toMatch(
        /^failed to read secret from Infisical: .* is unavailable \(HTTP 500, \d+ attempts\)/,
      );
      expect(error.message).toContain(`connection '${name}'`);
      expect(leaks(error.describe(), [batchPassword(name)])).toEqual([]);
      expect(redactor.redact(error.describe())).toBe(error.describe());
    });
    expect(emulator.counters.listSecrets).toBeGreaterThan(2);
    expect(emulator.counters.getSecret).toBe(0);
  });

  it("lets one caller abort without stopping the batch for the others", async () => {
    emulator.setLatency(100);
    const { backend } = makeBackend(emulator, IN_BATCH);
    const controller = new AbortController();
    const pending = ASKED.map((name, index) => backend.get(name, index === 0 ? controller.signal : undefined));
    setTimeout(() => controller.abort(new Error("run cancelled")), 20);
    const results = await Promise.allSettled(pending);
    expect(results[0]).toMatchObject({ status: "rejected", reason: { message: "run cancelled" } });
    results
      .slice(1)
      .forEach((result, index) =>
        expectConnection((result as PromiseFulfilledResult<ConnectionSecret>).value, ASKED[index + 1]!),
      );
    expect(emulator.counters).toMatchObject({ listSecrets: 1, getSecret: 0 });
  });
});
