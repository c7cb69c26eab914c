import { z } from "zod";
import { TYPE_SPECS } from "./schemas.js";
import { CONNECTION_TYPES, type ConnectionType } from "./types.js";

/** The name of each type's definition in the document, as the reference CLI names it. */
const DEFINITION_NAMES: Record<ConnectionType, string> = {
  postgres: "PostgresConnection",
  redshift: "RedshiftConnection",
  mysql: "MySQLConnection",
  mssql: "MsSQLConnection",
  snowflake: "SnowflakeConnection",
  google_cloud_platform: "GoogleCloudPlatformConnection",
  databricks: "DatabricksConnection",
  mongodb: "MongoConnection",
  duckdb: "DuckDBConnection",
  generic: "GenericConnection",
};

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
};

/**
 * Every connection type and its fields as one JSON Schema (draft 2020-12), in
 * the shape of the reference CLI's `internal connections`: a `$defs` entry per
 * type (`PostgresConnection`, …) and a `Connections` object mapping each type
 * key of `.bruin.yml` to a list of them. Generated from the zod schemas the
 * connections are validated with: the fields a user writes (input), each
 * with the default the schema fills in, and `name` on every connection.
 */
export function connectionsJsonSchema(): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  const connections: Record<string, unknown> = {};
  for (const type of CONNECTION_TYPES) {
    const { schema } = TYPE_SPECS[type];
    const input = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const output = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;
    const properties: Record<string, Record<string, unknown>> = { name: { type: "string" } };
    for (const [field, property] of Object.entries(input.properties ?? {})) {
      const filled = output.properties?.[field]?.default;
      properties[field] = filled === undefined ? property : { ...property, default: filled };
    }
    const name = DEFINITION_NAMES[type];
    definitions[name] = {
      properties,
      // The schemas keep fields they do not know (a newer secret still works with an older CLI).
      additionalProperties: input.additionalProperties ?? false,
      type: "object",
      required: ["name", ...(input.required ?? [])],
    };
    connections[type] = { items: { $ref: `#/$defs/${name}` }, type: "array" };
  }
  definitions.Connections = { properties: connections, additionalProperties: false, type: "object" };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $ref: "#/$defs/Connections",
    $defs: definitions,
  };
}
