import { describe, expect, it } from "vitest";
import { connectionsJsonSchema } from "./json-schema.js";
import { TYPE_SPECS } from "./schemas.js";
import { CONNECTION_TYPES } from "./types.js";
import { validateConnection } from "./validate.js";

type Definition = { properties: Record<string, Record<string, unknown>>; required: string[]; type: string };

describe("connectionsJsonSchema", () => {
  const document = connectionsJsonSchema();
  const defs = document.$defs as Record<string, Definition>;
  const connections = defs.Connections as unknown as { properties: Record<string, { items: { $ref: string } }> };

  it("has the reference's envelope: a JSON Schema whose root is the Connections object", () => {
    expect(document.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(document.$ref).toBe("#/$defs/Connections");
    expect(Object.keys(connections.properties)).toEqual([...CONNECTION_TYPES]);
  });

  it("lists every field of every type's zod schema, plus name, in the schema's order", () => {
    for (const type of CONNECTION_TYPES) {
      const ref = connections.properties[type]!.items.$ref;
      const definition = defs[ref.replace("#/$defs/", "")]!;
      expect(definition.type).toBe("object");
      expect(Object.keys(definition.properties)).toEqual(["name", ...TYPE_SPECS[type].fields]);
      expect(definition.required[0]).toBe("name");
    }
  });

  it("marks required what a user must write, and gives the defaults the schema fills in", () => {
    const postgres = defs.PostgresConnection!;
    expect(postgres.required).toEqual(["name", "host", "username", "database"]);
    expect(postgres.properties.port).toMatchObject({ type: "integer", default: 5432 });
    expect(postgres.properties.ssl_mode?.enum).toContain("verify-full");
    expect(defs.DuckDBConnection!.required).toEqual(["name", "path"]);
  });

  it("describes connections the validator accepts: the required fields alone pass, one fewer fails", () => {
    for (const [type, name] of [
      ["postgres", "PostgresConnection"],
      ["mysql", "MySQLConnection"],
      ["duckdb", "DuckDBConnection"],
    ] as const) {
      const fields = defs[name]!.required.filter((f) => f !== "name");
      const details = Object.fromEntries(fields.map((f) => [f, "x"]));
      expect(validateConnection({ name: "c", type, details }).type).toBe(type);
      const [first, ...rest] = fields;
      expect(() =>
        validateConnection({ name: "c", type, details: Object.fromEntries(rest.map((f) => [f, "x"])) }),
      ).toThrow(first);
    }
  });
});
