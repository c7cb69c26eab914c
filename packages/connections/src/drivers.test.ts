import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "@bruin-ts/secrets-core";
import { CONNECTION_ENGINES } from "./engines/index.js";
import { assertDriverInstalled, driverPackage, isDriverInstalled, isMissingPackage } from "./drivers.js";
import { MissingDriverError } from "./errors.js";

describe("driver packages", () => {
  it("names the npm package of every engine that opens a database", () => {
    expect(Object.fromEntries(CONNECTION_ENGINES.map((e) => [e.type, driverPackage(e.type)]))).toEqual({
      duckdb: "@duckdb/node-api",
      postgres: "pg",
      redshift: "pg",
      mysql: "mysql2",
      mssql: "mssql",
      snowflake: "snowflake-sdk",
      google_cloud_platform: "@google-cloud/bigquery",
      databricks: "@databricks/sql",
      mongodb: "mongodb",
      generic: undefined,
    });
  });

  it("every declared driver is an optional peer dependency of the package, and a devDependency for its tests", async () => {
    const manifest = (await import("../package.json", { with: { type: "json" } })).default as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    const drivers = [...new Set(CONNECTION_ENGINES.flatMap((e) => (e.driver ? [e.driver] : [])))].sort();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(drivers);
    for (const driver of drivers) {
      expect(manifest.peerDependenciesMeta[driver]?.optional, driver).toBe(true);
      expect(manifest.dependencies[driver], driver).toBeUndefined();
      expect(manifest.devDependencies[driver], driver).toBeDefined();
    }
  });

  it("finds the installed drivers without loading them", () => {
    for (const engine of CONNECTION_ENGINES) expect(isDriverInstalled(engine.type), engine.type).toBe(true);
    expect(isDriverInstalled("no_such_type")).toBe(true);
    expect(() => assertDriverInstalled({ name: "wh", type: "snowflake" })).not.toThrow();
  });

  it("tells Node's 'cannot find package' for the driver itself from other failures", async () => {
    const missing = await import(/* @vite-ignore */ ["bruin-ts-no-such-driver", "x"].join("-")).catch(
      (error: unknown) => error,
    );
    expect(isMissingPackage(missing, "bruin-ts-no-such-driver-x")).toBe(true);
    expect(isMissingPackage(missing, "pg")).toBe(false);
    expect(isMissingPackage(new Error("Cannot find package 'pg'"), "pg")).toBe(false);
    expect(
      isMissingPackage(Object.assign(new Error("Cannot find module 'pg'"), { code: "MODULE_NOT_FOUND" }), "pg"),
    ).toBe(true);
    expect(isMissingPackage(undefined, "pg")).toBe(false);
  });

  it("a MissingDriverError names the package to add, the connection and its type, and asks for exit 2", () => {
    const error = new MissingDriverError("warehouse", "snowflake", "snowflake-sdk");
    expect(error.message).toBe(
      "connection 'warehouse' (snowflake): the snowflake driver is not installed: add the npm package 'snowflake-sdk' next to @bruin-ts/connections (npm install snowflake-sdk)",
    );
    expect(error.exitCode).toBe(EXIT_CODES.usage);
    expect(error.exitCode).toBe(2);
    expect(error.driver).toBe("snowflake-sdk");
    expect(error.name).toBe("MissingDriverError");
  });
});
