import { describe, expect, it } from "vitest";
import { MASK, Redactor } from "./redactor.js";

describe("Redactor", () => {
  const secret = "p@ss w0rd/+=";

  it("masks raw, URL-encoded, form-encoded, JSON-escaped and base64 forms", () => {
    const redactor = new Redactor();
    redactor.add(secret);
    const text = [
      `raw ${secret}`,
      `url ${encodeURIComponent(secret)}`,
      `form ${new URLSearchParams({ v: secret }).toString().slice(2)}`,
      `base64 ${Buffer.from(secret).toString("base64")}`,
      `base64url ${Buffer.from(secret).toString("base64url")}`,
    ].join("\n");
    const redacted = redactor.redact(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(encodeURIComponent(secret));
    expect(redacted).not.toContain(Buffer.from(secret).toString("base64"));
    expect(redacted.split(MASK).length - 1).toBe(5);
  });

  it("masks a value containing another one whole, and JSON-escaped values", () => {
    const redactor = new Redactor();
    redactor.add("abcd");
    redactor.add('abcd"efgh');
    expect(redactor.redact('x abcd"efgh y')).toBe("x **** y");
    expect(redactor.redact(JSON.stringify({ p: 'abcd"efgh' }))).toBe('{"p":"****"}');
  });

  it("registers sensitive fields and whole JSON documents", () => {
    const redactor = new Redactor();
    redactor.addFields({ password: "hunter22", host: "db.example.com" }, ["password"]);
    redactor.addAll('{"private_key": "-----BEGIN KEY-----abc", "client_email": "x@y.z"}');
    expect(redactor.redact("db.example.com hunter22 -----BEGIN KEY-----abc x@y.z")).toBe("db.example.com **** **** ****");
  });

  it("leaves text alone when nothing is registered and ignores very short values", () => {
    const redactor = new Redactor();
    expect(redactor.redact("hello")).toBe("hello");
    expect(redactor.add("ab")).toBe(false);
    expect(redactor.redact("ab cd")).toBe("ab cd");
  });

  it("redacts error messages and arbitrary values", () => {
    const redactor = new Redactor();
    redactor.add("tok-123456");
    expect(redactor.redactUnknown(new Error("bad tok-123456"))).toBe("bad ****");
    expect(redactor.redactUnknown({ t: "tok-123456" })).toBe('{"t":"****"}');
  });
});
