import { sensitiveValues, validateConnection } from "@bruin-ts/connections";
import {
  ConnectionResolver,
  InvalidSecretError,
  NotFoundError,
  type Redactor,
  type SecretsBackend,
} from "@bruin-ts/secrets-core";
import type { Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DB_PASSWORD, leaks, makeBackend, withEmulator } from "./test-support/fixtures.js";

// The way a program uses this backend: a per-run resolver that validates each
// secret against its type's schema and masks its sensitive fields.
let emulator: Emulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(() => emulator.stop());

function resolverFor(backend: SecretsBackend, redactor: Redactor) {
  return new ConnectionResolver({
    backend,
    redactor,
    sensitiveValues,
    validate: (secret, source) => validateConnection(secret, { backend: source.id, exitCode: source.exitCode }),
  });
}

it("resolves valid connections and reports every failure together", async () => {
  emulator.resetCounters();
  const { backend, redactor } = makeBackend(emulator);
  const resolver = resolverFor(backend, redactor);
  const { connections, failures } = await resolver.resolveAll([
    "my-postgres",
    "unknown-type",
    "bad-port",
    "missing",
    "my-postgres",
  ]);

  expect(connections.get("my-postgres")).toMatchObject({
    type: "postgres",
    details: { host: "db.internal", port: 5432 },
  });
  expect(failures.map((failure) => [failure.connection, failure.kind, failure.exitCode])).toEqual([
    ["unknown-type", "invalid", 3],
    ["bad-port", "invalid", 3],
    ["missing", "not_found", 3],
  ]);
  const [unknownType, badPort, missing] = failures;
  expect(unknownType).toBeInstanceOf(InvalidSecretError);
  expect(unknownType!.message).toContain("connection 'unknown-type' has unknown type 'oracle'");
  expect((unknownType as InvalidSecretError).field).toBe("type");
  expect(badPort!.message).toContain("connection 'bad-port' of type 'postgres'");
  expect(badPort!.message).toContain("'port'");
  expect(missing).toBeInstanceOf(NotFoundError);
  expect(missing!.message).toMatch(/^failed to read secret from Infisical: secret 'missing' not found/);

  for (const failure of failures) {
    expect(leaks(failure.describe())).toEqual([]);
    expect(redactor.redact(failure.describe())).toBe(failure.describe());
  }
  // One login, one read per distinct name.
  expect(emulator.counters).toMatchObject({ login: 1, getSecret: 4 });
  expect(redactor.redact(`postgres://app:${DB_PASSWORD}@db.internal`)).toBe("postgres://app:****@db.internal");
});
