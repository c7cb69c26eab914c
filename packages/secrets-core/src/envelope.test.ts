import { describe, expect, it } from "vitest";
import { InvalidSecretError, UnparsableSecretError } from "./errors.js";
import { CONNECTION_ENVELOPE, parseConnectionEnvelope } from "./envelope.js";

const MARKER = "pw-envelope-4f81c2e7";
const source = { backend: "test", where: "variable BRUIN_CONNECTION_WH" };

function failure(text: string): Error {
  try {
    parseConnectionEnvelope("wh", text, source);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("parseConnectionEnvelope", () => {
  it("returns the name, type and details", () => {
    expect(
      parseConnectionEnvelope(
        "wh",
        JSON.stringify({ type: "postgres", details: { password: MARKER }, extra: 1 }),
        source,
      ),
    ).toEqual({
      name: "wh",
      type: "postgres",
      details: { password: MARKER },
    });
  });

  it("refuses text that is not JSON without quoting it", () => {
    const error = failure(`{"type": "postgres", "details": {"password": "${MARKER}"`);
    expect(error).toBeInstanceOf(UnparsableSecretError);
    expect(error.message).toBe(
      `failed to parse secret as JSON: connection 'wh' (variable BRUIN_CONNECTION_WH) does not hold valid JSON; expected ${CONNECTION_ENVELOPE}`,
    );
    expect((error as UnparsableSecretError).backend).toBe("test");
    expect(error.message).not.toContain(MARKER);
  });

  it.each([
    ["an array", JSON.stringify([MARKER]), "type", "must be a JSON object with 'type' and 'details'"],
    ["a string", JSON.stringify(MARKER), "type", "must be a JSON object with 'type' and 'details'"],
    ["null", "null", "type", "must be a JSON object with 'type' and 'details'"],
    ["no type", JSON.stringify({ details: { password: MARKER } }), "type", "has no 'type' field"],
    [
      "an empty type",
      JSON.stringify({ type: " ", details: {} }),
      "type",
      "has a 'type' that is not a non-empty string",
    ],
    ["a numeric type", JSON.stringify({ type: 5, details: {} }), "type", "has a 'type' that is not a non-empty string"],
    ["no details", JSON.stringify({ type: "postgres", password: MARKER }), "details", "has no 'details' field"],
    [
      "details as a string",
      JSON.stringify({ type: "postgres", details: MARKER }),
      "details",
      "has a 'details' that is not an object",
    ],
    [
      "details as an array",
      JSON.stringify({ type: "postgres", details: [MARKER] }),
      "details",
      "has a 'details' that is not an object",
    ],
  ])("refuses %s, naming the field and never the value", (_, text, field, problem) => {
    const error = failure(text);
    expect(error).toBeInstanceOf(InvalidSecretError);
    expect((error as InvalidSecretError).field).toBe(field);
    expect(error.message).toBe(
      `invalid secret format: connection 'wh' (variable BRUIN_CONNECTION_WH) ${problem}; expected ${CONNECTION_ENVELOPE}`,
    );
    expect(error.message).not.toContain(MARKER);
  });

  it("hands the parsed document to onParsed before the shape is checked", () => {
    const seen: unknown[] = [];
    expect(() =>
      parseConnectionEnvelope("wh", JSON.stringify({ details: { password: MARKER } }), {
        ...source,
        onParsed: (d) => seen.push(d),
      }),
    ).toThrow(InvalidSecretError);
    expect(seen).toEqual([{ details: { password: MARKER } }]);
  });
});
