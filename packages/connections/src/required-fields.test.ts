import { InvalidSecretError } from "@bruin-ts/secrets-core";
import { describe, expect, it } from "vitest";
import { CONNECTION_TYPES, validateConnection, type ConnectionType } from "./index.js";

/**
 * For every connection type: a minimal valid set of details, and the fields of
 * it that are required, written out here rather than read from the schemas, so
 * a required field made optional in a schema fails this test. Where a type
 * takes one of several credentials, the minimal set holds one, and dropping it
 * must name it.
 */
const MINIMAL: Record<ConnectionType, { details: Record<string, unknown>; required: string[] }> = {
  postgres: {
    details: { host: "db.internal", username: "app", database: "analytics" },
    required: ["host", "username", "database"],
  },
  redshift: {
    details: { host: "rs.internal", username: "app", database: "dev" },
    required: ["host", "username", "database"],
  },
  mysql: {
    details: { host: "my.internal", username: "app", database: "shop" },
    required: ["host", "username", "database"],
  },
  mssql: {
    details: { host: "ms.internal", username: "sa", database: "master" },
    required: ["host", "username", "database"],
  },
  snowflake: {
    details: { account: "acme-x1", username: "loader", password: "pw" },
    required: ["account", "username", "password"],
  },
  google_cloud_platform: {
    details: { project_id: "proj-1", service_account_file: "/keys/sa.json" },
    required: ["project_id", "service_account_file"],
  },
  databricks: {
    details: { host: "dbc.cloud", path: "/sql/1.0/warehouses/abc", token: "t" },
    required: ["host", "path", "token"],
  },
  mongodb: { details: { host: "mongo.internal" }, required: ["host"] },
  duckdb: { details: { path: "warehouse.duckdb" }, required: ["path"] },
  generic: { details: { value: "v" }, required: ["value"] },
};

function rejection(type: ConnectionType, details: Record<string, unknown>): InvalidSecretError {
  try {
    validateConnection({ name: "conn", type, details }, { backend: "file", exitCode: 2 });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSecretError);
    return error as InvalidSecretError;
  }
  throw new Error(`a ${type} connection without a required field was accepted`);
}

describe("required fields of every connection type", () => {
  it("covers every connection type", () => {
    expect(Object.keys(MINIMAL).sort()).toEqual([...CONNECTION_TYPES].sort());
  });

  for (const [type, { details, required }] of Object.entries(MINIMAL) as [
    ConnectionType,
    (typeof MINIMAL)[ConnectionType],
  ][]) {
    it(`${type}: the minimal details are accepted`, () => {
      expect(validateConnection({ name: "conn", type, details }).details).toMatchObject(details);
    });

    for (const field of required) {
      it(`${type}: without '${field}' it is rejected, naming the field`, () => {
        const { [field]: _dropped, ...rest } = details;
        const error = rejection(type, rest);
        expect(error.message).toMatch(
          new RegExp(`^connection 'conn' of type '${type}' has an invalid field '${field}': is required`),
        );
        expect(error.field).toBe(field);
        expect(error.exitCode).toBe(2);
        expect(error.backend).toBe("file");
      });

      it(`${type}: an empty or null '${field}' is rejected too`, () => {
        expect(rejection(type, { ...details, [field]: "" }).message).toContain(`'${field}'`);
        expect(rejection(type, { ...details, [field]: null }).message).toContain(`'${field}'`);
      });
    }
  }
});
