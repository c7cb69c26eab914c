import { describe, expect, it } from "vitest";
import { parseConnectionEnvelope, registerSensitiveDetails } from "./envelope.js";
import { Redactor } from "./redactor.js";

describe("registerSensitiveDetails", () => {
  it("masks the values of secret-named detail fields, nested ones included, and nothing else", () => {
    const redactor = new Redactor();
    const document = {
      type: "postgres",
      details: {
        host: "db.internal.example",
        password: "pw-MARKER-4471",
        nested: { api_key: "key-MARKER-9921" },
        username: "analytics_user",
      },
    };
    registerSensitiveDetails(document, redactor);
    expect(redactor.redact("db.internal.example pw-MARKER-4471 key-MARKER-9921 analytics_user")).toBe(
      "db.internal.example **** **** analytics_user",
    );
  });

  it("works as parseConnectionEnvelope's onParsed, before the shape is checked", () => {
    const redactor = new Redactor();
    const text = JSON.stringify({ details: { token: "tok-MARKER-5521" } });
    expect(() =>
      parseConnectionEnvelope("x", text, {
        backend: "t",
        where: "here",
        onParsed: (d) => registerSensitiveDetails(d, redactor),
      }),
    ).toThrow(/type/);
    expect(redactor.redact("tok-MARKER-5521")).toBe("****");
  });

  it("ignores what is not an envelope", () => {
    const redactor = new Redactor();
    for (const value of [null, "text", [1], { details: "x" }]) registerSensitiveDetails(value, redactor);
    expect(redactor.redact("text x")).toBe("text x");
  });
});
