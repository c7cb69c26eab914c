/**
 * The published shape, not the workspace: every publishable package is packed
 * with `pnpm pack`, the tarballs are installed with npm into an empty folder
 * outside the repository, and the CLI and the libraries are used from there.
 * Needs `pnpm build` first and the npm registry for third-party dependencies.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type Emulator } from "@bruin-ts/infisical-emulator";
import {
  startAwsSecretsManagerEmulator,
  startAzureEmulator,
  startDopplerEmulator,
  startVaultEmulator,
} from "@bruin-ts/secrets-emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyInto, createSandbox, installTarballs, type Sandbox } from "./sandbox.js";
import {
  WORKSPACE_ROOT,
  packPackage,
  publishablePackages,
  publishedEntryPoints,
  workspaceOnlySpecifiers,
  type Tarball,
} from "./tarballs.js";

const EXPECTED_PACKAGES = [
  "@bruin-ts/backend-aws",
  "@bruin-ts/backend-azure",
  "@bruin-ts/backend-doppler",
  "@bruin-ts/backend-env",
  "@bruin-ts/backend-file",
  "@bruin-ts/backend-infisical",
  "@bruin-ts/backend-vault",
  "@bruin-ts/cli",
  "@bruin-ts/connections",
  "@bruin-ts/pipeline",
  "@bruin-ts/secrets-core",
];
const PASSWORD = "pack-test-pg-PASSWORD-5c1e";
const CLIENT_SECRET = "pack-test-CLIENT-secret-93b7";
const SETUP_TIMEOUT_MS = 600_000;

const tarballs: Tarball[] = [];
let sandbox: Sandbox;
let packDir: string;
let emulator: Emulator;

beforeAll(async () => {
  const packages = publishablePackages();
  const unbuilt = packages.filter((pkg) => !existsSync(path.join(pkg.dir, "dist")));
  if (unbuilt.length > 0) {
    throw new Error(`no dist/ in ${unbuilt.map((pkg) => pkg.manifest.name).join(", ")}: run \`pnpm build\` first`);
  }
  packDir = mkdtempSync(path.join(tmpdir(), "bruin-tarballs-"));
  for (const pkg of packages) tarballs.push(await packPackage(pkg, packDir));
  sandbox = createSandbox();
  await installTarballs(
    sandbox,
    tarballs.map((tarball) => tarball.file),
  );
  emulator = await startEmulator({
    seed: {
      identities: [{ clientId: "pack-test-client", clientSecret: CLIENT_SECRET, projects: ["proj-pack"] }],
      projects: {
        "proj-pack": {
          environments: {
            dev: {
              "/": {
                "my-postgres": JSON.stringify({
                  type: "postgres",
                  details: { host: "db.internal", username: "app", password: PASSWORD, database: "analytics" },
                }),
                "duckdb-default": JSON.stringify({
                  type: "duckdb",
                  details: { path: path.join(sandbox.dir, "infisical.duckdb") },
                }),
                // The quick start's Python asset reads this `generic` connection.
                rates_api_key: JSON.stringify({ type: "generic", details: { value: "pack-test-rates-key" } }),
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
  // Removing the installed sandbox (drivers included) takes more than the default 10 s on a busy machine.
}, 120_000);

/** The installed CLI through npx (`--no`: never fetch another package named bruin). */
const bruin = (args: string[], options?: Parameters<Sandbox["run"]>[2]) =>
  sandbox.run("npx", ["--no", "--", "bruin", ...args], options);

const infisicalEnv = () => ({
  BRUIN_INFISICAL_HOST: emulator.url,
  BRUIN_INFISICAL_CLIENT_ID: "pack-test-client",
  BRUIN_INFISICAL_CLIENT_SECRET: CLIENT_SECRET,
  BRUIN_INFISICAL_PROJECT_ID: "proj-pack",
  BRUIN_INFISICAL_ENVIRONMENT: "dev",
});

describe("packed tarballs", () => {
  it("cover every publishable package", () => {
    expect(tarballs.map((tarball) => tarball.name).sort()).toEqual(EXPECTED_PACKAGES);
  });

  it("hold every file their manifest points at, and a README", () => {
    for (const tarball of tarballs) {
      const entries = new Set(tarball.entries);
      const missing = publishedEntryPoints(tarball.manifest).filter((file) => !entries.has(file));
      expect({ name: tarball.name, missing }).toEqual({ name: tarball.name, missing: [] });
      expect(entries.has("README.md"), `${tarball.name} has a README.md`).toBe(true);
      expect(tarball.manifest.engines?.node, `${tarball.name} engines.node`).toBe(">=20");
      expect(
        tarball.entries.some((entry) => entry.endsWith(".test.js")),
        `${tarball.name} ships tests`,
      ).toBe(false);
    }
  });

  it("have workspace: and catalog: dependencies rewritten to versions", () => {
    for (const tarball of tarballs) {
      expect({ name: tarball.name, problems: workspaceOnlySpecifiers(tarball.manifest) }).toEqual({
        name: tarball.name,
        problems: [],
      });
    }
    const cli = tarballs.find((tarball) => tarball.name === "@bruin-ts/cli")!;
    const core = tarballs.find((tarball) => tarball.name === "@bruin-ts/secrets-core")!;
    expect(cli.manifest.dependencies?.["@bruin-ts/secrets-core"]).toBe(`^${core.manifest.version}`);
  });
});

describe("installed with npm outside the workspace", () => {
  it("runs the bruin bin", async () => {
    const cli = tarballs.find((tarball) => tarball.name === "@bruin-ts/cli")!;
    const version = await bruin(["--version"]);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(cli.manifest.version);

    const help = await bruin(["run", "--help"]);
    expect(help.code, help.stderr).toBe(0);
    for (const expected of [
      "--secrets-backend",
      "file",
      "infisical",
      "BRUIN_CONFIG_FILE",
      "BRUIN_INFISICAL_CLIENT_ID",
      "env",
      "BRUIN_CONNECTION_<NAME>",
    ]) {
      expect(help.stdout).toContain(expected);
    }
  });

  it("runs the quick start and leaves its tables in DuckDB", async () => {
    const pipeline = copyInto(sandbox, path.join(WORKSPACE_ROOT, "examples/quickstart"), "quickstart");
    const run = await bruin(["run", "quickstart", "--no-color"]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("bruin run completed successfully");
    expect(existsSync(path.join(pipeline, "data/quickstart.duckdb"))).toBe(true);

    const query = await bruin(
      ["query", "-c", "duckdb-default", "-q", "SELECT count(*) AS n FROM mart.revenue_by_country", "-o", "json"],
      { cwd: pipeline },
    );
    expect(query.code, query.stderr).toBe(0);
    const rows = (JSON.parse(query.stdout) as { rows: number[][] }).rows;
    expect(Number(rows[0]![0])).toBeGreaterThan(0);
  });

  it("resolves connections from the Infisical emulator with @bruin-ts/backend-infisical", async () => {
    const script = `
      import { createInfisicalBackend } from "@bruin-ts/backend-infisical";
      import { sensitiveValues, validateConnection } from "@bruin-ts/connections";
      import { ConnectionResolver, Redactor } from "@bruin-ts/secrets-core";

      const redactor = new Redactor();
      const backend = createInfisicalBackend({ env: process.env, redactor, cwd: process.cwd() });
      const resolver = new ConnectionResolver({
        backend,
        redactor,
        sensitiveValues,
        validate: (secret, source) => validateConnection(secret, { backend: source.id, exitCode: source.exitCode }),
      });
      const { connections, failures } = await resolver.resolveAll(["my-postgres", "missing"]);
      const postgres = connections.get("my-postgres");
      console.log(JSON.stringify({
        type: postgres.type,
        port: postgres.details.port,
        masked: redactor.redact("password=" + postgres.details.password),
        failures: failures.map((failure) => [failure.kind, failure.exitCode]),
      }));
      await backend.close?.();
    `;
    const result = await sandbox.node(script, infisicalEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      type: "postgres",
      port: 5432,
      masked: "password=****",
      failures: [["not_found", 3]],
    });
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(result.stdout + result.stderr).not.toContain(CLIENT_SECRET);
  });

  it("runs the quick start with connections from the Infisical emulator", async () => {
    copyInto(sandbox, path.join(WORKSPACE_ROOT, "examples/quickstart"), "quickstart-infisical");
    const run = await bruin(["run", "--secrets-backend", "infisical", "quickstart-infisical", "--no-color"], {
      env: infisicalEnv(),
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(existsSync(path.join(sandbox.dir, "infisical.duckdb"))).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(CLIENT_SECRET);
  });

  it("runs the quick start with connections from the Vault and Doppler emulators", async () => {
    const token = "hvs.pack-test-VAULT-token-3f1";
    const dopplerToken = "dp.st.pack-test-DOPPLER-token-8a2";
    const vault = await startVaultEmulator({
      seed: {
        tokens: [{ token }],
        mounts: {
          secret: {
            "bruin/duckdb-default": { type: "duckdb", details: { path: path.join(sandbox.dir, "vault.duckdb") } },
            "bruin/rates_api_key": { type: "generic", details: { value: "pack-test-rates-key" } },
          },
        },
      },
    });
    const doppler = await startDopplerEmulator({
      seed: {
        tokens: { [dopplerToken]: { project: "app", config: "prd" } },
        projects: {
          app: {
            prd: {
              DUCKDB_DEFAULT: JSON.stringify({
                type: "duckdb",
                details: { path: path.join(sandbox.dir, "doppler.duckdb") },
              }),
              RATES_API_KEY: JSON.stringify({ type: "generic", details: { value: "pack-test-rates-key" } }),
            },
          },
        },
      },
    });
    try {
      copyInto(sandbox, path.join(WORKSPACE_ROOT, "examples/quickstart"), "quickstart-vault-doppler");
      const fromVault = await bruin(["run", "--secrets-backend", "vault", "quickstart-vault-doppler", "--no-color"], {
        env: {
          BRUIN_VAULT_HOST: vault.url,
          BRUIN_VAULT_TOKEN: token,
          BRUIN_VAULT_MOUNT_PATH: "secret",
          BRUIN_VAULT_PATH: "bruin",
        },
      });
      expect(fromVault.code, `${fromVault.stdout}\n${fromVault.stderr}`).toBe(0);
      expect(existsSync(path.join(sandbox.dir, "vault.duckdb"))).toBe(true);
      expect(fromVault.stdout + fromVault.stderr).not.toContain(token);
      const fromDoppler = await bruin(
        ["run", "--secrets-backend", "doppler", "quickstart-vault-doppler", "--no-color"],
        {
          env: {
            BRUIN_DOPPLER_TOKEN: dopplerToken,
            BRUIN_DOPPLER_PROJECT: "app",
            BRUIN_DOPPLER_CONFIG: "prd",
            BRUIN_DOPPLER_API_URL: doppler.url,
          },
        },
      );
      expect(fromDoppler.code, `${fromDoppler.stdout}\n${fromDoppler.stderr}`).toBe(0);
      expect(existsSync(path.join(sandbox.dir, "doppler.duckdb"))).toBe(true);
      expect(fromDoppler.stdout + fromDoppler.stderr).not.toContain(dopplerToken);
      // One read per connection from Vault (duckdb-default, rates_api_key); one download from Doppler for both.
      expect([vault.count("read"), doppler.count("download")]).toEqual([2, 1]);
    } finally {
      await vault.stop();
      await doppler.stop();
    }
  });

  it("runs the quick start with connections from the AWS Secrets Manager emulator (the SDK installed from npm)", async () => {
    const credentials = { accessKeyId: "AKIAPACKTEST00000001", secretAccessKey: "pack-test-AWS-secret-key-6d0" };
    const aws = await startAwsSecretsManagerEmulator({
      seed: {
        credentials: [credentials],
        secrets: {
          "duckdb-default": JSON.stringify({ type: "duckdb", details: { path: path.join(sandbox.dir, "aws.duckdb") } }),
          rates_api_key: JSON.stringify({ type: "generic", details: { value: "pack-test-rates-key" } }),
        },
      },
    });
    try {
      copyInto(sandbox, path.join(WORKSPACE_ROOT, "examples/quickstart"), "quickstart-aws");
      const run = await bruin(["run", "--secrets-backend", "aws", "quickstart-aws", "--no-color"], {
        env: {
          BRUIN_AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          BRUIN_AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          BRUIN_AWS_REGION: "us-east-1",
          BRUIN_AWS_ENDPOINT_URL: aws.url,
        },
      });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stderr).toBe("");
      expect(existsSync(path.join(sandbox.dir, "aws.duckdb"))).toBe(true);
      expect(run.stdout + run.stderr).not.toContain(credentials.secretAccessKey);
      expect(aws.count("GetSecretValue")).toBe(2);
    } finally {
      await aws.stop();
    }
  });

  it("runs the quick start with connections from the Azure Key Vault emulator (the SDKs installed from npm)", async () => {
    const clientSecret = "pack-test-AZURE-client-secret-3c9";
    // Over HTTPS with its own throwaway CA: the Azure SDK sends bearer tokens over HTTPS only.
    const azure = await startAzureEmulator({
      seed: {
        tenant: "pack-tenant",
        clients: [{ clientId: "pack-app", clientSecret }],
        secrets: {
          "duckdb-default": JSON.stringify({
            type: "duckdb",
            details: { path: path.join(sandbox.dir, "azure.duckdb") },
          }),
          "rates-api-key": JSON.stringify({ type: "generic", details: { value: "pack-test-rates-key" } }),
        },
      },
    });
    try {
      copyInto(sandbox, path.join(WORKSPACE_ROOT, "examples/quickstart"), "quickstart-azure");
      const run = await bruin(["run", "--secrets-backend", "azure", "quickstart-azure", "--no-color"], {
        env: {
          NODE_EXTRA_CA_CERTS: azure.caFile!,
          BRUIN_AZURE_KEYVAULT_URL: azure.url,
          BRUIN_AZURE_AUTH_METHOD: "client_credentials",
          BRUIN_AZURE_TENANT_ID: "pack-tenant",
          BRUIN_AZURE_CLIENT_ID: "pack-app",
          BRUIN_AZURE_CLIENT_SECRET: clientSecret,
          BRUIN_AZURE_AUTHORITY_HOST: azure.url,
        },
      });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stderr).toBe("");
      expect(existsSync(path.join(sandbox.dir, "azure.duckdb"))).toBe(true);
      expect(run.stdout + run.stderr).not.toContain(clientSecret);
      expect(azure.count("token")).toBe(1);
    } finally {
      await azure.stop();
    }
  });

  it("resolves connections from variables with @bruin-ts/backend-env", async () => {
    const script = `
      import { createEnvBackend, ENV_BACKEND_VARIABLES } from "@bruin-ts/backend-env";
      import { Redactor } from "@bruin-ts/secrets-core";

      const redactor = new Redactor();
      const backend = createEnvBackend({ env: process.env, redactor, cwd: process.cwd() });
      const secret = await backend.get("my-postgres");
      console.log(JSON.stringify({
        id: backend.id,
        names: await backend.list(),
        type: secret.type,
        masked: redactor.redact(process.env.BRUIN_CONNECTION_MY_POSTGRES),
        variables: ENV_BACKEND_VARIABLES.map((variable) => variable.name),
      }));
    `;
    const value = JSON.stringify({ type: "postgres", details: { host: "db.internal", password: PASSWORD } });
    const result = await sandbox.node(script, { BRUIN_CONNECTION_MY_POSTGRES: value });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      id: "env",
      names: ["my_postgres"],
      type: "postgres",
      masked: "****",
      variables: ["BRUIN_CONNECTION_<NAME>"],
    });
  });
});

describe("the CLI without one of its drivers", () => {
  // Last in this file: it removes snowflake-sdk from the sandbox, as a user who pruned it would.
  it("refuses a snowflake connection with the npm package to add, exit 2, before anything runs", async () => {
    rmSync(path.join(sandbox.dir, "node_modules", "snowflake-sdk"), { recursive: true, force: true });
    const pipeline = path.join(sandbox.dir, "snowflake-pipeline");
    mkdirSync(path.join(pipeline, "assets"), { recursive: true });
    writeFileSync(path.join(pipeline, "pipeline.yml"), "name: sf\ndefault_connections:\n  snowflake: warehouse\n");
    writeFileSync(
      path.join(pipeline, "assets", "report.sql"),
      "/* @bruin\nname: analytics.report\ntype: sf.sql\nmaterialization:\n  type: table\n@bruin */\nSELECT 1 AS n\n",
    );
    const env = {
      BRUIN_SECRETS_BACKEND: "env",
      BRUIN_CONNECTION_WAREHOUSE: JSON.stringify({
        type: "snowflake",
        details: { account: "acme-xy12345", username: "loader", password: PASSWORD, warehouse: "wh", database: "db" },
      }),
    };
    const expected = "add the npm package 'snowflake-sdk'";
    for (const args of [
      ["run", "snowflake-pipeline", "--no-color"],
      ["validate", "snowflake-pipeline"],
      ["query", "-c", "warehouse", "-q", "SELECT 1"],
      ["connections", "test", "warehouse"],
    ]) {
      const result = await bruin(args, { env });
      expect(result.code, `${args.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(2);
      expect(result.stdout + result.stderr, args.join(" ")).toContain(expected);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    }
  });
});
