import { z } from "zod";
import type { ConnectionType } from "./types.js";
import {
  integer,
  oneOf,
  optionalBoolean,
  optionalString,
  port,
  present,
  requireField,
  requiredString,
  stringOrObject,
} from "./fields.js";

/**
 * One zod schema per connection type (fields as in the bruin reference CLI).
 * Objects are loose: fields we do not know are kept, never rejected, so a
 * newer secret still works with an older CLI.
 */

export const POSTGRES_SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;

const postgres = z.looseObject({
  host: requiredString(),
  port: port(5432),
  username: requiredString(),
  password: optionalString(),
  database: requiredString(),
  schema: optionalString(),
  ssl_mode: oneOf(POSTGRES_SSL_MODES),
  pool_max_conns: integer(1, 1000).default(10),
});

const redshift = z.looseObject({
  host: requiredString(),
  port: port(5439),
  username: requiredString(),
  password: optionalString(),
  database: requiredString(),
  schema: optionalString(),
  ssl_mode: oneOf(POSTGRES_SSL_MODES),
});

const mysql = z.looseObject({
  host: requiredString(),
  port: port(3306),
  username: requiredString(),
  password: optionalString(),
  database: requiredString(),
  ssl_ca_path: optionalString(),
  ssl_cert_path: optionalString(),
  ssl_key_path: optionalString(),
});

const mssql = z.looseObject({
  host: requiredString(),
  port: port(1433),
  username: requiredString(),
  password: optionalString(),
  database: requiredString(),
  options: stringOrObject(),
});

const snowflake = z
  .looseObject({
    account: requiredString(),
    username: requiredString(),
    password: optionalString(),
    warehouse: optionalString(),
    database: optionalString(),
    schema: optionalString(),
    role: optionalString(),
    region: optionalString(),
    private_key: optionalString(),
    private_key_path: optionalString(),
  })
  .superRefine((d, ctx) => {
    if (!present(d.password) && !present(d.private_key) && !present(d.private_key_path)) {
      requireField(ctx, "password", "is required (or private_key / private_key_path)");
    }
  });

const googleCloudPlatform = z
  .looseObject({
    project_id: requiredString(),
    service_account_file: optionalString(),
    service_account_json: stringOrObject(),
    location: optionalString(),
    use_application_default_credentials: optionalBoolean(),
  })
  .superRefine((d, ctx) => {
    const hasCredentials =
      present(d.service_account_file) ||
      present(d.service_account_json) ||
      d.use_application_default_credentials === true;
    if (!hasCredentials) {
      requireField(
        ctx,
        "service_account_file",
        "is required (or service_account_json, or use_application_default_credentials: true)",
      );
    }
  });

const databricks = z
  .looseObject({
    host: requiredString(),
    port: port(443),
    path: requiredString(),
    token: optionalString(),
    catalog: optionalString(),
    schema: optionalString(),
    client_id: optionalString(),
    client_secret: optionalString(),
  })
  .superRefine((d, ctx) => {
    if (present(d.token)) return;
    if (!present(d.client_id) && !present(d.client_secret)) {
      requireField(ctx, "token", "is required (or client_id and client_secret)");
    } else if (!present(d.client_id)) {
      requireField(ctx, "client_id", "is required when client_secret is set");
    } else if (!present(d.client_secret)) {
      requireField(ctx, "client_secret", "is required when client_id is set");
    }
  });

const mongodb = z.looseObject({
  host: requiredString(),
  port: port(27017),
  username: optionalString(),
  password: optionalString(),
  database: optionalString(),
});

const duckdb = z.looseObject({
  path: requiredString(),
  read_only: optionalBoolean(),
});

const generic = z.looseObject({
  value: requiredString(),
});

interface TypeSpec {
  schema: z.ZodType<Record<string, unknown>>;
  /** Every field the type knows, in the order `connections list` shows them. */
  fields: readonly string[];
  sensitive: readonly string[];
}

export const TYPE_SPECS: Record<ConnectionType, TypeSpec> = {
  postgres: { schema: postgres, fields: Object.keys(postgres.shape), sensitive: ["password"] },
  redshift: { schema: redshift, fields: Object.keys(redshift.shape), sensitive: ["password"] },
  mysql: { schema: mysql, fields: Object.keys(mysql.shape), sensitive: ["password"] },
  mssql: { schema: mssql, fields: Object.keys(mssql.shape), sensitive: ["password"] },
  snowflake: {
    schema: snowflake,
    fields: Object.keys(snowflake.shape),
    sensitive: ["password", "private_key"],
  },
  google_cloud_platform: {
    schema: googleCloudPlatform,
    fields: Object.keys(googleCloudPlatform.shape),
    sensitive: ["service_account_json"],
  },
  databricks: {
    schema: databricks,
    fields: Object.keys(databricks.shape),
    sensitive: ["token", "client_secret"],
  },
  mongodb: { schema: mongodb, fields: Object.keys(mongodb.shape), sensitive: ["password"] },
  duckdb: { schema: duckdb, fields: Object.keys(duckdb.shape), sensitive: [] },
  generic: { schema: generic, fields: Object.keys(generic.shape), sensitive: ["value"] },
};
