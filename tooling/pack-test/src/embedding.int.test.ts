/**
 * The libraries as a team embeds them in its own service: the packed library
 * tarballs (no CLI) are installed with npm into a plain Node project outside
 * the workspace, with the one driver it uses (DuckDB) and without the others.
 *
 * - Embedding: a script snapshots everything process-wide (globalThis.fetch,
 *   require.cache, process.emitWarning, process.env, process listeners,
 *   Promise and every other global), imports every package, resolves
 *   connections through the Infisical emulator, the file backend and the env
 *   backend, opens DuckDB and runs a query, then asserts nothing changed.
 * - Missing driver: a snowflake connection, with snowflake-sdk not installed,
 *   fails with an error naming the npm package to add, exit code 2.
 *
 * Needs `pnpm build` first and the npm registry for third-party dependencies.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@bruin-ts/infisical-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, installTarballs, type CommandResult, type Sandbox } from "./sandbox.js";
import { packPackage, publishablePackages, type Tarball } from "./tarballs.js";

/** Every library package: everything published except the CLI. */
const LIBRARIES = [
  "@bruin-ts/backend-env",
  "@bruin-ts/backend-file",
  "@bruin-ts/backend-infisical",
  "@bruin-ts/connections",
  "@bruin-ts/pipeline",
  "@bruin-ts/secrets-core",
];
const PG_PASSWORD = "embed-pg-PASSWORD-7d2a41";
const ENV_PASSWORD = "embed-env-PASSWORD-0b93c5";
const CLIENT_SECRET = "embed-CLIENT-secret-e61f08";
const SNOWFLAKE_PASSWORD = "embed-snowflake-PASSWORD-44ad9e";
const SETUP_TIMEOUT_MS = 600_000;

let sandbox: Sandbox;
let packDir: string;
let emulator: Emulator;
let duckdbVersion: string;

beforeAll(async () => {
  const packages = publishablePackages().filter((pkg) => LIBRARIES.includes(pkg.manifest.name));
  const unbuilt = packages.filter((pkg) => !existsSync(path.join(pkg.dir, "dist")));
  if (unbuilt.length > 0) {
    throw new Error(`no dist/ in ${unbuilt.map((pkg) => pkg.manifest.name).join(", ")}: run \`pnpm build\` first`);
  }
  packDir = mkdtempSync(path.join(tmpdir(), "bruin-embed-tarballs-"));
  const tarballs: Tarball[] = [];
  for (const pkg of packages) tarballs.push(await packPackage(pkg, packDir));
  expect(tarballs.map((tarball) => tarball.name).sort()).toEqual(LIBRARIES);
  const connections = tarballs.find((tarball) => tarball.name === "@bruin-ts/connections")!;
  duckdbVersion = connections.manifest.peerDependencies!["@duckdb/node-api"]!;
  sandbox = createSandbox("bruin-embed-");
  // The application adds the one driver it uses, as the connections README says.
  await installTarballs(sandbox, [...tarballs.map((tarball) => tarball.file), `@duckdb/node-api@${duckdbVersion}`]);
  writeFileSync(
    path.join(sandbox.dir, ".bruin.yml"),
    [
      "default_environment: default",
      "environments:",
      "  default:",
      "    connections:",
      "      duckdb:",
      "        - name: local-duckdb",
      "          path: data/local.duckdb",
      "",
    ].join("\n"),
  );
  emulator = await startEmulator({
    seed: {
      identities: [{ clientId: "embed-client", clientSecret: CLIENT_SECRET, projects: ["proj-embed"] }],
      projects: {
        "proj-embed": {
          environments: {
            dev: {
              "/": {
                "my-postgres": JSON.stringify({
                  type: "postgres",
                  details: { host: "db.internal", username: "app", password: PG_PASSWORD, database: "analytics" },
                }),
              },
            },
          },
        },
      },
    },
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await emulator?.stop();
  sandbox?.remove();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

/** Writes `source` as an ES module file in the sandbox and runs it with node. */
function runScript(name: string, source: string, env: Record<string, string>): Promise<CommandResult> {
  const file = path.join(sandbox.dir, name);
  writeFileSync(file, source);
  return sandbox.run(process.execPath, [file], { env });
}

/**
 * Snapshots what a library must never change, and lists the differences
 * between two snapshots, one line each. Lazily defined globals are read once
 * before the first snapshot, so Node's own first-use definitions do not count.
 */
const SNAPSHOT = String.raw`
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { types } from "node:util";

const require = createRequire(import.meta.url);

for (const key of Reflect.ownKeys(globalThis)) {
  try { void globalThis[key]; } catch {}
}

function properties(target) {
  const map = new Map();
  for (const key of Reflect.ownKeys(target)) map.set(String(key), Object.getOwnPropertyDescriptor(target, key));
  return map;
}

export function snapshot() {
  return {
    fetch: globalThis.fetch,
    Promise: globalThis.Promise,
    emitWarning: process.emitWarning,
    env: { ...process.env },
    listeners: new Map(process.eventNames().map((name) => [String(name), process.listeners(name)])),
    globals: properties(globalThis),
    promiseStatics: properties(Promise),
    promisePrototype: properties(Promise.prototype),
    requireCache: new Set(Object.keys(require.cache)),
  };
}

function sameDescriptor(a, b) {
  if (!a || !b) return a === b;
  return Object.is(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable &&
    a.enumerable === b.enumerable && a.configurable === b.configurable;
}

function compareProperties(label, before, after, changes) {
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    if (!a) changes.push(label + "." + key + " added");
    else if (!b) changes.push(label + "." + key + " removed");
    else if (!sameDescriptor(a, b)) changes.push(label + "." + key + " replaced");
  }
}

export function differences(before, after) {
  const changes = [];
  if (before.fetch !== after.fetch) changes.push("globalThis.fetch replaced");
  if (before.Promise !== after.Promise) changes.push("globalThis.Promise replaced");
  if (before.emitWarning !== after.emitWarning) changes.push("process.emitWarning replaced");
  for (const key of new Set([...Object.keys(before.env), ...Object.keys(after.env)])) {
    if (before.env[key] !== after.env[key]) changes.push("process.env." + key + " changed");
  }
  for (const name of new Set([...before.listeners.keys(), ...after.listeners.keys()])) {
    const a = before.listeners.get(name) ?? [];
    const b = after.listeners.get(name) ?? [];
    if (a.length !== b.length || a.some((listener, i) => listener !== b[i])) {
      changes.push("process listeners of '" + name + "': " + a.length + " -> " + b.length);
    }
  }
  compareProperties("globalThis", before.globals, after.globals, changes);
  compareProperties("Promise", before.promiseStatics, after.promiseStatics, changes);
  compareProperties("Promise.prototype", before.promisePrototype, after.promisePrototype, changes);
  for (const key of before.requireCache) {
    if (!(key in require.cache)) changes.push("require.cache entry removed: " + key);
  }
  // A new entry must be a module actually loaded from that file, not a stand-in.
  for (const [key, module] of Object.entries(require.cache)) {
    if (before.requireCache.has(key)) continue;
    const real = module && module.loaded && module.filename === key && existsSync(key) && !types.isProxy(module.exports);
    if (!real) changes.push("require.cache stand-in: " + key);
  }
  return changes;
}
`;

const EMBED = String.raw`
import { differences, snapshot } from "./snapshot.mjs";

const before = snapshot();

const core = await import("@bruin-ts/secrets-core");
const envBackend = await import("@bruin-ts/backend-env");
const fileBackend = await import("@bruin-ts/backend-file");
const infisical = await import("@bruin-ts/backend-infisical");
const connections = await import("@bruin-ts/connections");
const pipeline = await import("@bruin-ts/pipeline");
await import("@bruin-ts/backend-env/descriptor");
await import("@bruin-ts/backend-file/descriptor");
await import("@bruin-ts/backend-infisical/descriptor");

const redactor = new core.Redactor();
const cwd = process.cwd();
// The program reads its environment; the libraries get a copy and never write to it.
const env = { ...process.env };

async function resolve(backend, names) {
  const resolver = new core.ConnectionResolver({
    backend,
    redactor,
    sensitiveFields: connections.sensitiveFieldValues,
    validate: (secret, source) => connections.validateConnection(secret, { backend: source.id, exitCode: source.exitCode }),
  });
  const { connections: found, failures } = await resolver.resolveAll(names);
  await backend.close?.();
  return { found, failures: failures.map((failure) => failure.kind) };
}

const fromInfisical = await resolve(infisical.createInfisicalBackend({ env, redactor, cwd }), ["my-postgres", "missing"]);
const fromFile = await resolve(fileBackend.createFileBackend({ env, redactor, cwd, pipelineDir: cwd }), ["local-duckdb"]);
const fromEnv = await resolve(envBackend.createEnvBackend({ env, redactor, cwd }), ["env-postgres"]);

const duckdb = await connections.openConnection(fromFile.found.get("local-duckdb"));
let answer;
try {
  answer = (await duckdb.query("SELECT 40 + 2 AS answer")).rows[0].answer;
} finally {
  await duckdb.close();
}

const after = snapshot();
console.log(JSON.stringify({
  infisical: [fromInfisical.found.get("my-postgres")?.type, fromInfisical.failures],
  file: [fromFile.found.get("local-duckdb")?.type, fromFile.failures],
  env: [fromEnv.found.get("env-postgres")?.type, fromEnv.failures],
  masked: redactor.redact(fromInfisical.found.get("my-postgres")?.details.password + " " + fromEnv.found.get("env-postgres")?.details.password),
  answer,
  pipelineExports: typeof pipeline.loadPipeline,
  changes: differences(before, after),
}));
`;

/** The names tslib's CommonJS build defines on globalThis: its own exports, read in a separate process. */
async function tslibHelpers(): Promise<string[]> {
  if (!existsSync(path.join(sandbox.dir, "node_modules", "tslib"))) return [];
  const result = await sandbox.run(process.execPath, [
    "-e",
    'console.log(JSON.stringify(Object.keys(require("tslib"))))',
  ]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as string[]).filter((name) => name.startsWith("__"));
}

describe("the libraries embedded in a plain Node project", () => {
  it("change nothing process-wide: imported, resolving through Infisical, the file and env backends, and querying DuckDB", async () => {
    writeFileSync(path.join(sandbox.dir, "snapshot.mjs"), SNAPSHOT);
    const result = await runScript("embed.mjs", EMBED, {
      BRUIN_INFISICAL_HOST: emulator.url,
      BRUIN_INFISICAL_CLIENT_ID: "embed-client",
      BRUIN_INFISICAL_CLIENT_SECRET: CLIENT_SECRET,
      BRUIN_INFISICAL_PROJECT_ID: "proj-embed",
      BRUIN_INFISICAL_ENVIRONMENT: "dev",
      BRUIN_CONNECTION_ENV_POSTGRES: JSON.stringify({
        type: "postgres",
        details: { host: "db.internal", username: "app", password: ENV_PASSWORD, database: "analytics" },
      }),
    });
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as Record<string, unknown>;
    const { changes, ...rest } = outcome as { changes: string[] };
    expect(rest).toEqual({
      infisical: ["postgres", ["not_found"]],
      file: ["duckdb", []],
      env: ["postgres", []],
      masked: "**** ****",
      answer: 42,
      pipelineExports: "function",
    });
    // Globals that third-party dependencies add as they load, as published: zod (of connections) keeps its
    // config and registry on globalThis; tslib's CommonJS build (under @infisical/sdk's AWS SDK) defines its
    // helpers as globals; @aws/lambda-invoke-store (same) adds `awslambda` unless the host sets
    // AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA. They are listed by name, each only as an addition, and nothing
    // else may change: no global of bruin's own, nothing replaced or removed.
    const thirdParty = new Set(["__zod_globalConfig", "__zod_globalRegistry", "awslambda", ...(await tslibHelpers())]);
    const own = changes.filter((change) => {
      const added = /^globalThis\.(.+) added$/.exec(change);
      return !(added && thirdParty.has(added[1]!));
    });
    expect(own).toEqual([]);
    for (const secret of [PG_PASSWORD, ENV_PASSWORD, CLIENT_SECRET])
      expect(result.stdout + result.stderr).not.toContain(secret);
    // Nothing printed a warning or a note on the host's stderr either.
    expect(result.stderr).toBe("");
  });

  it("the snapshot notices each kind of process-wide change (so an empty list means something)", async () => {
    const result = await runScript(
      "tamper.mjs",
      String.raw`
        import { createRequire } from "node:module";
        import { differences, snapshot } from "./snapshot.mjs";
        const require = createRequire(import.meta.url);
        const before = snapshot();
        globalThis.fetch = async () => new Response("");
        process.emitWarning = () => {};
        process.env.TAMPERED = "1";
        process.on("warning", () => {});
        Promise.withResolvers = () => ({});
        globalThis.someGlobal = 1;
        require.cache["/nowhere/stand-in.js"] = { id: "/nowhere/stand-in.js", filename: "/nowhere/stand-in.js", loaded: true, exports: new Proxy({}, {}) };
        console.log(JSON.stringify(differences(before, snapshot())));
      `,
      {},
    );
    expect(result.code, result.stderr).toBe(0);
    const changes = JSON.parse(result.stdout) as string[];
    for (const expected of [
      "globalThis.fetch replaced",
      "process.emitWarning replaced",
      "process.env.TAMPERED changed",
      "globalThis.someGlobal added",
      "require.cache stand-in: /nowhere/stand-in.js",
    ]) {
      expect(changes).toContain(expected);
    }
    expect(changes.some((change) => change.startsWith("process listeners of 'warning': "))).toBe(true);
    expect(changes.some((change) => change.startsWith("Promise.withResolvers"))).toBe(true);
    // NaN is not NaN, yet an untouched NaN is no change.
    expect(changes.some((change) => change.includes("NaN"))).toBe(false);
  });
});

describe("a connection type whose driver is not installed", () => {
  it("is refused with an error naming the npm package to add, exit code 2", async () => {
    const result = await runScript(
      "snowflake.mjs",
      String.raw`
        import { MissingDriverError, isDriverInstalled, openConnection, validateConnection } from "@bruin-ts/connections";
        import { Redactor } from "@bruin-ts/secrets-core";
        const redactor = new Redactor();
        const secret = JSON.parse(process.env.SNOWFLAKE_CONNECTION);
        redactor.add(secret.details.password);
        const connection = validateConnection({ name: "warehouse", ...secret }, { backend: "embedding-test" });
        console.log(JSON.stringify({ snowflake: isDriverInstalled("snowflake"), duckdb: isDriverInstalled("duckdb") }));
        try {
          const adapter = await openConnection(connection);
          await adapter.query("SELECT 1");
          console.log("opened");
        } catch (error) {
          console.error(redactor.redact(error.message));
          process.exitCode = error instanceof MissingDriverError ? error.exitCode : 1;
        }
      `,
      {
        SNOWFLAKE_CONNECTION: JSON.stringify({
          type: "snowflake",
          details: {
            account: "acme-xy12345",
            username: "loader",
            password: SNOWFLAKE_PASSWORD,
            warehouse: "wh",
            database: "db",
          },
        }),
      },
    );
    expect(existsSync(path.join(sandbox.dir, "node_modules", "snowflake-sdk"))).toBe(false);
    expect(JSON.parse(result.stdout.split("\n")[0]!)).toEqual({ snowflake: false, duckdb: true });
    expect(result.stderr.trim()).toBe(
      "connection 'warehouse' (snowflake): the snowflake driver is not installed: add the npm package 'snowflake-sdk' next to @bruin-ts/connections (npm install snowflake-sdk)",
    );
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(SNOWFLAKE_PASSWORD);
  });

  it("installs none of the optional driver peers with the library", () => {
    for (const driver of [
      "pg",
      "mysql2",
      "mssql",
      "snowflake-sdk",
      "@google-cloud/bigquery",
      "mongodb",
      "@databricks/sql",
    ]) {
      expect(existsSync(path.join(sandbox.dir, "node_modules", driver)), driver).toBe(false);
    }
    expect(
      existsSync(path.join(sandbox.dir, "node_modules", "@duckdb", "node-api")),
      `@duckdb/node-api@${duckdbVersion}`,
    ).toBe(true);
  });
});
