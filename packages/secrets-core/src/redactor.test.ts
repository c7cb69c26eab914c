import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MASK, MIN_SECRET_LENGTH, Redactor, maskedForms } from "./redactor.js";

/** Every form the masking contract names, built here with the platform's own encoders. */
function contractForms(value: string): string[] {
  const lines = [
    value,
    value.replace(/\r\n?/g, "\n"),
    value.replace(/\r\n?|\n/g, "\r\n"),
    value.replace(/\r\n|\r|\n/g, " "),
  ];
  const forms: string[] = [];
  for (const text of lines) {
    const json = JSON.stringify(text).slice(1, -1);
    forms.push(text, json, JSON.stringify(json).slice(1, -1), text.replace(/"/g, '""'), text.replace(/'/g, "''"));
  }
  const uri = encodeURIComponent(value);
  const strict = uri.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  for (const encoded of [uri, strict, form])
    forms.push(
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    );
  const base64 = Buffer.from(value).toString("base64");
  forms.push(
    base64,
    base64.replace(/=+$/, ""),
    Buffer.from(value).toString("base64url"),
    base64.replace(/\+/g, "-").replace(/\//g, "_"),
  );
  return [...new Set(forms)];
}

function masks(redactor: Redactor, text: string): number {
  return redactor.redact(text).split(MASK).length - 1;
}

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

  it("masks every form of the contract, each on its own, for a value with every kind of character", () => {
    const value = `a"b'c\\d%e!f*g(h)i~j/k+l=m n\r\no\np\té€😀?&#`;
    const redactor = new Redactor();
    redactor.add(value);
    const forms = contractForms(value);
    expect(forms.length).toBeGreaterThan(20);
    for (const form of forms) {
      expect(redactor.redact(`<${form}>`), JSON.stringify(form)).toBe(`<${MASK}>`);
    }
    // The implementation's own list holds them all.
    const registered = new Set(maskedForms(value));
    for (const form of forms) expect(registered.has(form), JSON.stringify(form)).toBe(true);
  });

  it("masks RFC 3986 strict, Python-quoted and lower-case-hex percent-encoding", () => {
    const value = "Pa(ss)*w!rd'/+?";
    const redactor = new Redactor();
    redactor.add(value);
    const strict = "Pa%28ss%29%2Aw%21rd%27%2F%2B%3F";
    const lower = "Pa%28ss%29%2aw%21rd%27%2f%2b%3f";
    const python = "Pa%28ss%29%2Aw%21rd%27/%2B%3F";
    for (const form of [strict, lower, python, python.toLowerCase().replace("pa", "Pa")]) {
      expect(redactor.redact(`u:${form}@h`), form).toBe(`u:${MASK}@h`);
    }
  });

  it("masks a multi-line value however its line breaks were rewritten", () => {
    const value = "first-line\n  second-line\r\nthird";
    const redactor = new Redactor();
    redactor.add(value);
    for (const text of [
      "first-line\n  second-line\r\nthird",
      "first-line\r\n  second-line\r\nthird",
      "first-line\n  second-line\nthird",
      "first-line   second-line third",
      // As a driver message is flattened: the line break and the whitespace around it become one space.
      "first-line second-line third",
      JSON.stringify("first-line second-line third"),
    ]) {
      expect(redactor.redact(`error: ${text}.`), JSON.stringify(text)).toMatch(/^error: "?\*\*\*\*"?\.$/);
    }
    // A database quoting the statement line where the value starts shows its first line only.
    expect(redactor.redact("LINE 1: SELECT CAST('first-line")).toBe("LINE 1: SELECT CAST('****");
  });

  it("masks a value with surrounding line breaks in a trimmed, flattened message", () => {
    const redactor = new Redactor();
    redactor.add("\nsecret-in-the-middle\n");
    expect(redactor.redact("failed: secret-in-the-middle")).toBe(`failed: ${MASK}`);
  });

  it("masks base64 of a value that starts 1 or 2 bytes into the encoded data (an HTTP Basic credential)", () => {
    const password = "basic-auth-password";
    const redactor = new Redactor();
    redactor.add(password);
    for (const user of ["ab:", "abc:", "abcd:"]) {
      const header = `Authorization: Basic ${Buffer.from(`${user}${password}`).toString("base64")}`;
      const redacted = redactor.redact(header);
      expect(redacted, user).toContain(MASK);
      // What is left of the credential is at most the user part and one character either side.
      expect(redacted.replace("Authorization: Basic ", "").replace(MASK, "").length).toBeLessThanOrEqual(
        Math.ceil((8 * user.length) / 6) + 3,
      );
    }
  });

  it("masks a value containing another one whole, and JSON-escaped values", () => {
    const redactor = new Redactor();
    redactor.add("abcd");
    redactor.add('abcd"efgh');
    expect(redactor.redact('x abcd"efgh y')).toBe("x **** y");
    expect(redactor.redact(JSON.stringify({ p: 'abcd"efgh' }))).toBe('{"p":"****"}');
  });

  it("masks overlapping and adjacent matches of different values as one", () => {
    const redactor = new Redactor();
    redactor.add("abcdef");
    redactor.add("defghi");
    redactor.add("zzzz");
    expect(redactor.redact("<abcdefghi>")).toBe("<****>");
    expect(redactor.redact("<abcdefzzzz>")).toBe("<****>");
    expect(redactor.redact("<zzzzzzz>")).toBe("<****>");
    expect(redactor.redact("abcdef and defghi")).toBe("**** and ****");
  });

  it("masks overlapping occurrences of one long value in a periodic text", () => {
    const value = "ab".repeat(40);
    const redactor = new Redactor();
    redactor.add(value);
    expect(redactor.redact(`x${"ab".repeat(1000)}y`)).toBe("x****y");
    expect(redactor.redact(`x${"ab".repeat(39)}y`)).toBe(`x${"ab".repeat(39)}y`);
  });

  it("masks a long value only where it is there whole", () => {
    const value = randomBytes(3000).toString("base64");
    const redactor = new Redactor();
    redactor.add(value);
    const almost = value.slice(0, -1) + (value.endsWith("A") ? "B" : "A");
    expect(redactor.redact(`[${almost}]`)).toBe(`[${almost}]`);
    expect(redactor.redact(`[${value.slice(0, 100)}]`)).toBe(`[${value.slice(0, 100)}]`);
    expect(redactor.redact(`[${value}][${value}]`)).toBe("[****][****]");
  });

  it("keeps JSON text valid where a match starts or ends inside a backslash escape", () => {
    const redactor = new Redactor();
    redactor.add("nabcdef");
    redactor.add("uvwxyz\\");
    const document = JSON.stringify({ a: "x\nabcdef", b: 'uvwxyz"' });
    const redacted = redactor.redact(document);
    expect(redacted).not.toContain("abcdef");
    expect(JSON.parse(redacted)).toEqual({ a: "x****", b: "****" });
  });

  it("registers sensitive fields and whole JSON documents", () => {
    const redactor = new Redactor();
    redactor.addFields({ password: "hunter22", host: "db.example.com" }, ["password"]);
    redactor.addAll('{"private_key": "-----BEGIN KEY-----abc", "client_email": "x@y.z"}');
    expect(redactor.redact("db.example.com hunter22 -----BEGIN KEY-----abc x@y.z")).toBe(
      "db.example.com **** **** ****",
    );
  });

  it("leaves text alone when nothing is registered and ignores very short values", () => {
    const redactor = new Redactor();
    expect(redactor.redact("hello")).toBe("hello");
    expect(redactor.add("ab")).toBe(false);
    expect(redactor.redact("ab cd")).toBe("ab cd");
  });

  it(`masks values from ${MIN_SECRET_LENGTH} characters on, not shorter ones, and says which`, () => {
    expect(MIN_SECRET_LENGTH).toBe(4);
    const redactor = new Redactor();
    expect(redactor.add("Q7z")).toBe(false);
    expect(redactor.add("W8x5")).toBe(true);
    expect(redactor.add("K9y4v")).toBe(true);
    expect(redactor.add(4321)).toBe(true);
    expect(redactor.redact("Q7z W8x5 K9y4v 4321")).toBe("Q7z **** **** ****");
    expect(new Redactor().addAll({ a: "long-enough", b: "Q7z" })).toBe(false);
    expect(new Redactor().addAll({ a: "long-enough", b: ["W8x5"], c: "" })).toBe(true);
  });

  it("registers values with lone surrogates and control characters without throwing", () => {
    const redactor = new Redactor();
    const value = "ab\ud800cd\u0000\u001f\udfffef";
    expect(redactor.add(value)).toBe(true);
    expect(redactor.redact(`[${value}]`)).toBe(`[${MASK}]`);
    expect(redactor.redact(JSON.stringify({ v: value }))).toBe(`{"v":"${MASK}"}`);
    expect(redactor.redact(`[${Buffer.from(value).toString("base64")}]`)).toBe(`[${MASK}]`);
  });

  it("redacts error messages and arbitrary values", () => {
    const redactor = new Redactor();
    redactor.add("tok-123456");
    expect(redactor.redactUnknown(new Error("bad tok-123456"))).toBe("bad ****");
    expect(redactor.redactUnknown({ t: "tok-123456" })).toBe('{"t":"****"}');
  });

  it("masks many values at once, with no regular expression size limit", () => {
    const redactor = new Redactor();
    const values = Array.from({ length: 2000 }, (_, i) => `value-${i}-${randomBytes(6).toString("hex")}`);
    for (const value of values) redactor.add(value);
    const big = randomBytes(300_000).toString("base64");
    redactor.add(big);
    const text = values.map((value, i) => `${i}:${value}`).join(" ") + ` ${big}`;
    const redacted = redactor.redact(text);
    expect(masks(redactor, text)).toBe(values.length + 1);
    for (const value of values.slice(0, 50)) expect(redacted).not.toContain(value);
  });
});
