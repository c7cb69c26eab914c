import { describe, expect, it } from "vitest";
import { parseConfig } from "./config-file.js";

describe("schema_prefix of an environment", () => {
  it("is read per environment; environments without one have none", () => {
    const config = parseConfig(
      [
        "environments:",
        "  dev:",
        "    schema_prefix: jane_",
        "    connections: {}",
        "  prod:",
        "    connections: {}",
        "",
      ].join("\n"),
      "/x/.bruin.yml",
    );
    expect([...config.schemaPrefixes]).toEqual([["dev", "jane_"]]);
  });

  it("must be a string", () => {
    expect(() => parseConfig("environments:\n  dev:\n    schema_prefix: [a]\n", "/x/.bruin.yml")).toThrow(
      "config file '/x/.bruin.yml': 'schema_prefix' of environment 'dev' must be a string",
    );
  });
});
