import { describe, expect, it } from "vitest";
import { ENV_BACKEND_VARIABLES, connectionNamesIn, connectionVariableName } from "./variables.js";

describe("connection variable names", () => {
  it("upper-cases the name and writes '-' as '_'", () => {
    expect(connectionVariableName("my-postgres")).toBe("BRUIN_CONNECTION_MY_POSTGRES");
    expect(connectionVariableName("duckdb-default")).toBe("BRUIN_CONNECTION_DUCKDB_DEFAULT");
  });

  it("maps names differing only in case or '-'/'_' to the same variable", () => {
    const variables = new Set(["my-pg", "my_pg", "MY-PG"].map(connectionVariableName));
    expect([...variables]).toEqual(["BRUIN_CONNECTION_MY_PG"]);
  });

  it("finds names in an environment, deduplicated and sorted", () => {
    expect(connectionNamesIn({ BRUIN_CONNECTION_B: "{}", BRUIN_CONNECTION_A: "{}", bruin_connection_c: "{}" })).toEqual(
      ["a", "b"],
    );
  });

  it("documents the variable pattern for help output", () => {
    expect(ENV_BACKEND_VARIABLES.map((variable) => variable.name)).toEqual(["BRUIN_CONNECTION_<NAME>"]);
    expect(ENV_BACKEND_VARIABLES[0]!.description).toContain("upper-cased");
  });
});
