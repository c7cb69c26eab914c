import { generateKeyPairSync } from "node:crypto";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionError } from "../errors.js";
import { openConnection } from "../open.js";
import type { OpenOptions } from "../open-options.js";
import type { ConnectionType, ValidatedConnection } from "../types.js";
import { installPromiseWithResolvers } from "../test-support/host-polyfills.js";

/**
 * The real drivers against servers that are not there: a closed port on
 * 127.0.0.1 (refused at once) and a name under `.invalid` (never resolves).
 * Each failure must be a ConnectionError naming the connection, arrive within
 * the connect timeout, and carry none of the credentials.
 */

const SECRET = "p@ss:w/rd%-Zq81Secret";
const FAST: OpenOptions = { connectTimeoutMs: 1_000, connectRetries: 0 };
const CLOSED_PORT = 1;
const UNRESOLVABLE = "nonexistent.invalid";

async function pingFailure(type: ConnectionType, details: Record<string, unknown>): Promise<ConnectionError> {
  const connection: ValidatedConnection = { name: `unreachable-${type}`, type, details };
  const adapter = await openConnection(connection, FAST);
  const started = Date.now();
  try {
    const error = await adapter.ping().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(ConnectionError);
    return error as ConnectionError;
  } finally {
    await adapter.close();
  }
}

function expectClean(error: ConnectionError, type: ConnectionType, ...secrets: string[]): void {
  expect(error.message).toContain(`connection 'unreachable-${type}' (${type}): `);
  expect(error.connection).toBe(`unreachable-${type}`);
  for (const secret of [SECRET, encodeURIComponent(SECRET), ...secrets]) expect(error.message).not.toContain(secret);
}

// The CLI installs Promise.withResolvers for SQL Server on Node 20 (bin.ts); here the test is the host.
let removePolyfill: () => void = () => undefined;
beforeAll(() => {
  removePolyfill = installPromiseWithResolvers();
});
afterAll(() => removePolyfill());

describe("mssql on a host without Promise.withResolvers", () => {
  it("fails to open with a message that says what the host must provide, and patches nothing", async () => {
    const saved = (Promise as { withResolvers?: unknown }).withResolvers;
    delete (Promise as { withResolvers?: unknown }).withResolvers;
    try {
      const error = await pingFailure("mssql", {
        host: "127.0.0.1",
        port: CLOSED_PORT,
        username: "sa",
        password: SECRET,
        database: "db",
      });
      expectClean(error, "mssql");
      expect(error.message).toMatch(/need Promise\.withResolvers \(Node 22 or newer/);
      expect((Promise as { withResolvers?: unknown }).withResolvers).toBeUndefined();
    } finally {
      if (saved) Object.defineProperty(Promise, "withResolvers", { configurable: true, writable: true, value: saved });
    }
  });
});

const examples: Record<string, (host: string, port: number) => Record<string, unknown>> = {
  mongodb: (host, port) => ({ host, port, username: "app", password: SECRET, database: "db" }),
  mssql: (host, port) => ({ host, port, username: "sa", password: SECRET, database: "db" }),
  databricks: (host, port) => ({ host, port, path: "/sql/1.0/warehouses/w", token: SECRET }),
  snowflake: (host, port) => ({ account: "acme", username: "u", password: SECRET, host, port }),
};

describe.concurrent.each(Object.keys(examples))("%s with no server", (type) => {
  const details = examples[type]!;

  it("reports a refused connection as a ConnectionError without the credentials", async () => {
    const error = await pingFailure(type as ConnectionType, details("127.0.0.1", CLOSED_PORT));
    expectClean(error, type as ConnectionType);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("reports a host that does not resolve", async () => {
    const error = await pingFailure(type as ConnectionType, details(UNRESOLVABLE, 443));
    expectClean(error, type as ConnectionType);
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
  });
});

describe("databricks OAuth with no server", () => {
  it("names neither the client secret nor the client id's secret", async () => {
    const error = await pingFailure("databricks", {
      host: "127.0.0.1",
      port: CLOSED_PORT,
      path: "/sql/1.0/warehouses/w",
      client_id: "principal",
      client_secret: SECRET,
    });
    expectClean(error, "databricks");
  });
});

describe.concurrent("google_cloud_platform with no network", () => {
  const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const keyLine = privateKey.split("\n")[5]!;

  it("reports a missing key file by its path", async () => {
    const error = await pingFailure("google_cloud_platform", {
      project_id: "proj",
      service_account_file: "/nonexistent/bruin-key.json",
    });
    expectClean(error, "google_cloud_platform");
    expect(error.message).toContain("/nonexistent/bruin-key.json");
  });

  it("reports a failed token request without the key", async () => {
    const key = {
      type: "service_account",
      project_id: "proj",
      private_key_id: "kid",
      private_key: privateKey,
      client_email: "runner@proj.iam.gserviceaccount.com",
    };
    const error = await pingFailure("google_cloud_platform", {
      project_id: "proj",
      service_account_json: JSON.stringify(key),
      api_endpoint: `http://127.0.0.1:${CLOSED_PORT}`,
    });
    expectClean(error, "google_cloud_platform", keyLine, "PRIVATE KEY");
    // Offline the token request cannot resolve Google's host; online Google refuses the made-up key.
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|invalid_grant/);
  });

  it("refuses service account JSON that does not parse, without echoing it", async () => {
    const broken = `{"type": "service_account", "private_key": "${SECRET}",`;
    const error = await pingFailure("google_cloud_platform", { project_id: "proj", service_account_json: broken });
    expectClean(error, "google_cloud_platform");
    expect(error.message).toMatch(/service_account_json is not valid JSON/);
  });
});

describe.concurrent("a server that accepts connections and never answers", () => {
  let server: Server;
  let port: number;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(Object.keys(examples))("%s gives up after the connect timeout", async (type) => {
    const error = await pingFailure(type as ConnectionType, examples[type]!("127.0.0.1", port));
    expectClean(error, type as ConnectionType);
    expect(error.message).toMatch(/within 1000 ms|in 1000ms|timed out after 1000/i);
  });
});
