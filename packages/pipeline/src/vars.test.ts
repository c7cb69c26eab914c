import { describe, expect, it } from "vitest";
import { VariableError } from "./errors.js";
import { makePipeline } from "./test-support/assets.js";
import { parsePipelineFile } from "./pipeline-file.js";
import { checkVariableTypes, parseVarFlags, resolveVariables } from "./vars.js";

function variableError(run: () => unknown): VariableError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VariableError);
    expect((error as VariableError).exitCode).toBe(2);
    return error as VariableError;
  }
  throw new Error("expected a VariableError");
}

describe("parseVarFlags", () => {
  it("parses key=value as JSON when it parses, else as a string", () => {
    expect(
      parseVarFlags(["n=3", "on=true", "list=[1, 2]", "region=eu", 'quoted="x"', "code=010", "eq=a=b", "empty="]),
    ).toEqual({
      n: 3,
      on: true,
      list: [1, 2],
      region: "eu",
      quoted: "x",
      code: "010",
      eq: "a=b",
      empty: "",
    });
  });

  it("takes JSON objects, BRUIN_VARS first and later flags winning", () => {
    expect(parseVarFlags(['{"a": 1, "b": {"c": 2}}', "a=5"], '{"a": 0, "z": "env"}')).toEqual({
      a: 5,
      b: { c: 2 },
      z: "env",
    });
    expect(parseVarFlags([], '{"z": [1]}')).toEqual({ z: [1] });
    expect(parseVarFlags([], "  ")).toEqual({});
  });

  it("rejects malformed values without echoing them", () => {
    const secret = "s3cr3t-value-do-not-print";
    for (const run of [
      () => parseVarFlags([secret]),
      () => parseVarFlags([`=${secret}`]),
      () => parseVarFlags([`{"a": "${secret}"`]),
      () => parseVarFlags([`["${secret}"]`]),
      () => parseVarFlags([], `{"token": "${secret}"`),
      () => parseVarFlags([], `["${secret}"]`),
    ]) {
      expect(variableError(run).message).not.toContain(secret);
    }
    expect(variableError(() => parseVarFlags(["ok=1", "bad"])).message).toMatch(
      /^--var #2 must be key=value or a JSON object/,
    );
    expect(variableError(() => parseVarFlags([], "[1]")).message).toMatch(/^BRUIN_VARS must be a JSON object/);
  });
});

describe("resolveVariables", () => {
  const pipeline = makePipeline([], { variables: { region: "eu", limit: 10 } });

  it("puts overrides over the declared defaults", () => {
    expect(resolveVariables(pipeline, { limit: 3 })).toEqual({ region: "eu", limit: 3 });
    expect(resolveVariables(pipeline)).toEqual({ region: "eu", limit: 10 });
  });

  it("rejects undeclared names, listing the declared ones", () => {
    expect(variableError(() => resolveVariables(pipeline, { regoin: "us", limit: 1 })).message).toBe(
      "unknown variable 'regoin'; declared variables: region, limit",
    );
    expect(variableError(() => resolveVariables(makePipeline([]), { a: 1, b: 2 })).message).toBe(
      "unknown variables 'a', 'b'; pipeline 'test' declares no variables",
    );
  });
});

describe("checkVariableTypes", () => {
  const declared = {
    factor: { type: "integer", default: 2, description: "a multiplier" },
    region: { type: "string", enum: ["eu", "us"], default: "eu" },
    ids: { type: "array", items: { type: "integer" }, default: [] },
  };
  const pipeline = () => ({
    ...makePipeline([]),
    variables: { factor: 2, region: "eu", ids: [] },
    variableSchemas: declared,
  });

  async function rejection(overrides: Record<string, unknown>): Promise<VariableError> {
    try {
      await checkVariableTypes(pipeline(), overrides);
    } catch (error) {
      expect(error).toBeInstanceOf(VariableError);
      expect((error as VariableError).exitCode).toBe(2);
      return error as VariableError;
    }
    throw new Error("expected a VariableError");
  }

  it("accepts values of the declared JSON-schema type", async () => {
    await expect(checkVariableTypes(pipeline(), { factor: 10, region: "us", ids: [1, 2] })).resolves.toBeUndefined();
    await expect(checkVariableTypes(pipeline(), {})).resolves.toBeUndefined();
  });

  it("refuses a value of another type, naming the variable and the type but never the value", async () => {
    const error = await rejection({ factor: "SECRET-MARKER-91" });
    expect(error.message).toBe(
      "the value given for variable 'factor' (--var or BRUIN_VARS) must be integer, as pipeline.yml declares it",
    );
    expect(error.message).not.toContain("SECRET-MARKER-91");
  });

  it("checks enums and array items", async () => {
    expect((await rejection({ region: "asia" })).message).toContain(
      'variable \'region\' (--var or BRUIN_VARS) must be one of ["eu","us"]',
    );
    expect((await rejection({ ids: [1, "x"] })).message).toContain(
      "variable 'ids' (--var or BRUIN_VARS) at /1 must be integer",
    );
  });

  it("reads the declarations from pipeline.yml", async () => {
    const issues: string[] = [];
    const file = parsePipelineFile(
      "name: p\nvariables:\n  factor:\n    type: integer\n    default: 2\n",
      "pipeline.yml",
      issues,
    );
    expect(issues).toEqual([]);
    expect(file.variableSchemas).toEqual({ factor: { type: "integer", default: 2 } });
  });
});
