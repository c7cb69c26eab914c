import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigurationError, ConnectionResolver, NotFoundError, Redactor } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { createFileBackend } from "./backend.js";

const CONFIG = `
default_environment: dev
environments:
  dev:
    connections:
      duckdb:
        - name: duckdb-default
          path: data/warehouse.duckdb
        - name: memory
          path: ":memory:"
      postgres:
        - name: my-postgres
          host: \${PG_HOST}
          port: 5432
          username: app
          password: \${PG_PASSWORD}
          database: analytics
  staging:
    connections:
      duckdb:
        - name: duckdb-default
          path: /abs/staging.duckdb
`;

function project(config = CONFIG): { root: string; pipelineDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), "bruin-file-"));
  mkdirSync(path.join(root, ".git"));
  writeFileSync(path.join(root, ".bruin.yml"), config);
  const pipelineDir = path.join(root, "pipelines", "one");
  mkdirSync(pipelineDir, { recursive: true });
  return { root, pipelineDir };
}

function context(pipelineDir: string, extra: Partial<Parameters<typeof createFileBackend>[0]> = {}) {
  return {
    env: { PG_HOST: "db.internal", PG_PASSWORD: "Pa55-from-env" },
    redactor: new Redactor(),
    cwd: pipelineDir,
    pipelineDir,
    ...extra,
  };
}

describe("file backend", () => {
  it("finds .bruin.yml walking up, uses default_environment and expands variables", async () => {
    const { root, pipelineDir } = project();
    const backend = createFileBackend(context(pipelineDir));
    expect(backend.configFile).toBe(path.join(root, ".bruin.yml"));
    expect(await backend.environmentName()).toBe("dev");
    const pg = await backend.get("my-postgres");
    expect(pg).toEqual({
      name: "my-postgres",
      type: "postgres",
      details: { host: "db.internal", port: 5432, username: "app", password: "Pa55-from-env", database: "analytics" },
    });
  });

  it("resolves relative paths against the config file's folder and keeps :memory:", async () => {
    const { root, pipelineDir } = project();
    const backend = createFileBackend(context(pipelineDir));
    expect((await backend.get("duckdb-default"))?.details.path).toBe(path.join(root, "data", "warehouse.duckdb"));
    expect((await backend.get("memory"))?.details.path).toBe(":memory:");
  });

  it("selects another environment and lists its connections", async () => {
    const { pipelineDir } = project();
    const backend = createFileBackend(context(pipelineDir, { environment: "staging" }));
    expect(await backend.list()).toEqual(["duckdb-default"]);
    expect(await backend.get("my-postgres")).toBeUndefined();
  });

  it("rejects an unknown environment, listing the known ones, with exit code 2", async () => {
    const { pipelineDir } = project();
    const backend = createFileBackend(context(pipelineDir, { environment: "prod" }));
    const error = await backend.get("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    const described = (error as ConfigurationError).describe();
    expect(described).toContain("environment 'prod' not found in the configuration file");
    expect(described).toContain("dev, staging");
    expect((error as ConfigurationError).exitCode).toBe(2);
  });

  it("names an unset variable without printing other values", async () => {
    const { pipelineDir } = project();
    const backend = createFileBackend(context(pipelineDir, { env: { PG_HOST: "h" } }));
    const error = (await backend.get("my-postgres").catch((e: unknown) => e)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain("PG_PASSWORD is not set");
  });

  it("reports a YAML error by position only, never quoting the file", async () => {
    const { pipelineDir } = project(
      'environments:\n  dev:\n    connections:\n      postgres: [ {name: a, password: "SuperSecret99" \n',
    );
    const error = (await createFileBackend(context(pipelineDir))
      .get("a")
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/is not valid YAML/);
    expect(error.message).not.toContain("SuperSecret99");
  });

  it.each([
    ["an alias", "*Sup3rSecretAlias", /at line 6, column \d+ \(unidentified alias …\)/],
    ["a tag", "!Sup3rSecretTag x", /at line 6, column \d+ \(unknown tag …\)/],
  ])("an unquoted password read as %s is not quoted by the YAML error either", async (_what, password, message) => {
    const { pipelineDir } = project(
      `environments:\n  dev:\n    connections:\n      postgres:\n        - name: a\n          password: ${password}\n`,
    );
    const error = (await createFileBackend(context(pipelineDir))
      .get("a")
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("Sup3rSecret");
  });

  it("honours an explicit config file and stops at the repository root", async () => {
    const { root, pipelineDir } = project();
    const other = path.join(root, "other.yml");
    writeFileSync(
      other,
      "environments:\n  default:\n    connections:\n      duckdb:\n        - name: only\n          path: x.db\n",
    );
    expect(await createFileBackend(context(pipelineDir, { configFile: other })).list()).toEqual(["only"]);
    const bare = mkdtempSync(path.join(tmpdir(), "bruin-bare-"));
    mkdirSync(path.join(bare, ".git"));
    const error = await createFileBackend(context(bare))
      .get("x")
      .catch((e: unknown) => e);
    expect((error as ConfigurationError).message).toContain("no .bruin.yml found");
  });

  it("reports a missing connection through the resolver as the reference CLI does", async () => {
    const { root, pipelineDir } = project();
    const resolver = new ConnectionResolver({ backend: createFileBackend(context(pipelineDir)) });
    const error = (await resolver.resolve("nope").catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      `connection 'nope' not found in config file '${path.join(root, ".bruin.yml")}' under environment 'dev'`,
    );
    expect(error.exitCode).toBe(2);
  });

  it("refuses a connection over 1 MiB once its variables are expanded, with the file backend's exit code", async () => {
    const marker = "FILE-BIG-MARKER-3k9";
    const { pipelineDir } = project();
    const backend = createFileBackend(
      context(pipelineDir, { env: { PG_HOST: "h", PG_PASSWORD: marker + "x".repeat(1024 * 1024) } }),
    );
    const error = await backend.get("my-postgres").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as ConfigurationError).exitCode).toBe(2);
    expect((error as ConfigurationError).describe()).toMatch(/connection 'my-postgres' is too large/);
    expect((error as ConfigurationError).describe()).not.toContain(marker);
  });

  it("refuses a config file over 16 MiB without reading it", async () => {
    const { root, pipelineDir } = project();
    truncateSync(path.join(root, ".bruin.yml"), 17 * 1024 * 1024);
    const error = await createFileBackend(context(pipelineDir))
      .get("memory")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toMatch(/is too large: more than 16 MiB/);
    expect((error as ConfigurationError).exitCode).toBe(2);
  });
});
