import { describe, expect, it } from "vitest";
import { MASK, Redactor, maskedForms } from "./redactor.js";

describe("Redactor: what is registered", () => {
  it("registers a value once however often it is added", () => {
    const redactor = new Redactor();
    expect(redactor.add("repeat-me-1")).toBe(true);
    const size = redactor.size;
    expect(size).toBeGreaterThan(0);
    expect(redactor.add("repeat-me-1")).toBe(true);
    expect(redactor.size).toBe(size);
    expect(redactor.redact("a repeat-me-1 b")).toBe(`a ${MASK} b`);
  });

  it("registers strings and numbers only", () => {
    const redactor = new Redactor();
    for (const value of [true, null, undefined, { a: "object-value" }, ["array-value"], 12345678n]) {
      expect(redactor.add(value), String(value)).toBe(false);
    }
    expect(redactor.size).toBe(0);
    expect(redactor.add(98765)).toBe(true);
    expect(redactor.redact("pin 98765")).toBe(`pin ${MASK}`);
  });

  it("addFields registers the listed fields only, nested objects whole, and skips absent ones", () => {
    const redactor = new Redactor();
    redactor.addFields(
      {
        password: "field-password-1",
        key: { private: "nested-private-1", list: ["nested-list-1"] },
        port: 54321,
        token: null,
        secret: undefined,
        host: "db.example.internal",
      },
      ["password", "key", "port", "token", "secret", "missing"],
    );
    expect(redactor.redact("field-password-1 nested-private-1 nested-list-1 54321 db.example.internal")).toBe(
      "**** **** **** **** db.example.internal",
    );
  });

  it("addAll says whether every non-empty leaf was long enough", () => {
    expect(new Redactor().addAll("")).toBe(true);
    expect(new Redactor().addAll(null)).toBe(true);
    expect(new Redactor().addAll({})).toBe(true);
    expect(new Redactor().addAll(12)).toBe(false);
    expect(new Redactor().addAll(["long-enough", "abc"])).toBe(false);
    expect(new Redactor().addAll(["abc", "long-enough"])).toBe(false);
    expect(new Redactor().addAll({ a: "abc", b: "long-enough" })).toBe(false);
    expect(new Redactor().addAll({ a: "long-enough", b: { c: 1234 } })).toBe(true);
    expect(new Redactor().addAll(true)).toBe(true);
  });

  it("addAll registers each part of a JSON document held in a string, array or object, and the whole", () => {
    const redactor = new Redactor();
    const document = '  ["json-part-one", {"k": "json-part-two"}]';
    expect(redactor.addAll(document)).toBe(true);
    expect(redactor.redact("json-part-one json-part-two")).toBe(`${MASK} ${MASK}`);
    expect(redactor.redact(`[${document}]`)).toBe(`[${MASK}]`);
    // Not JSON after all: registered as it is, nothing thrown.
    const broken = new Redactor();
    expect(broken.addAll("{not-json-at-all")).toBe(true);
    expect(broken.redact("x {not-json-at-all")).toBe(`x ${MASK}`);
    // A string that merely contains a brace later on is not parsed.
    const plain = new Redactor();
    plain.addAll('text {"k": "inner-value-1"}');
    expect(plain.redact("inner-value-1")).toBe("inner-value-1");
  });
});

describe("Redactor: redactUnknown", () => {
  it("redacts strings, errors by message, other values as JSON, and what JSON cannot show as text", () => {
    const redactor = new Redactor();
    redactor.add("unknown-secret-1");
    redactor.add("12345678");
    expect(redactor.redactUnknown("x unknown-secret-1")).toBe(`x ${MASK}`);
    expect(redactor.redactUnknown(new TypeError("bad unknown-secret-1"))).toBe(`bad ${MASK}`);
    expect(redactor.redactUnknown(["unknown-secret-1"])).toBe(`["${MASK}"]`);
    expect(redactor.redactUnknown(undefined)).toBe("undefined");
    expect(redactor.redactUnknown(12345678n)).toBe(MASK);
    const circular: Record<string, unknown> = { toString: () => "circular unknown-secret-1" };
    circular.self = circular;
    expect(redactor.redactUnknown(circular)).toBe(`circular ${MASK}`);
  });

  it("returns empty text as it is", () => {
    const redactor = new Redactor();
    redactor.add("something-1");
    expect(redactor.redact("")).toBe("");
  });
});

describe("maskedForms", () => {
  it("lists only forms of at least 4 characters, and base64 slices of at least 6", () => {
    for (const value of ["abcd", "ab\ncd", "a\r\nb", "é€😀x"]) {
      const forms = maskedForms(value);
      for (const form of forms) expect(form.length, JSON.stringify([value, form])).toBeGreaterThanOrEqual(4);
      expect(new Set(forms).size).toBe(forms.length);
    }
    // "abcd" is 4 bytes: at offsets 1 and 2 only 5 and 4 base64 characters depend on it alone, too few.
    const forms = maskedForms("abcd");
    const shifted1 = Buffer.from("\0abcd").toString("base64");
    expect(forms).not.toContain(shifted1.slice(2, 6));
    // Six bytes give slices of 7 characters at offset 1: registered.
    const six = maskedForms("abcdef");
    expect(six).toContain(Buffer.from("\0abcdef").toString("base64").slice(2, 9));
    expect(six).toContain(Buffer.from("\0\0abcdef").toString("base64").slice(3, 10));
  });

  it("registers each line of a multi-line value, trimmed, escaped once and twice, when it is long enough", () => {
    const forms = maskedForms('  first-line  \nab\r\n  last "line"');
    expect(forms).toContain("first-line");
    expect(forms).toContain('last "line"');
    expect(forms).toContain('last \\"line\\"');
    expect(forms).toContain('last \\\\\\"line\\\\\\"');
    expect(forms).not.toContain("ab");
    // A single-line value is not split.
    expect(maskedForms(" single-line ")).not.toContain("single-line");
  });

  it("encodes a space as + in form encoding and as %20 elsewhere, from UTF-8 bytes", () => {
    const forms = maskedForms("a b/é");
    expect(forms).toEqual(expect.arrayContaining(["a+b%2F%C3%A9", "a+b%2f%c3%a9", "a%20b%2F%C3%A9", "a%20b/%C3%A9"]));
  });

  it("rewrites line breaks as LF, CRLF and spaces, collapsed or not, trimmed or not", () => {
    const forms = maskedForms(" one\r  two\r\nthree ");
    expect(forms).toEqual(
      expect.arrayContaining([
        " one\n  two\nthree ",
        " one\r\n  two\r\nthree ",
        " one   two three ",
        " one two three ",
        "one two three",
        // Flattened as drivers do (only \n with the whitespace around it): a lone \r stays.
        " one\r  two three ",
        "one\r  two three",
      ]),
    );
  });
});

describe("Redactor: many short values", () => {
  it("masks hundreds of short values exactly, and nothing that only resembles them", () => {
    const redactor = new Redactor();
    const values = Array.from({ length: 600 }, (_, i) => `k${i.toString(36)}-${((i * 7919) % 10007).toString(36)}`);
    for (const value of values) redactor.add(value);
    const text = values.map((value) => `<${value}>`).join(" ");
    expect(redactor.redact(text)).toBe(values.map(() => `<${MASK}>`).join(" "));
    const near = values.map((value) => `<${value.slice(0, -1)}~>`).join(" ");
    expect(redactor.redact(near)).toBe(near);
    // Non-ASCII characters go through the same automaton.
    const wide = new Redactor();
    wide.add("ключ-пароль");
    wide.add("ключ-2");
    expect(wide.redact("[ключ-пароль] [ключ-2] [ключ-3]")).toBe(`[${MASK}] [${MASK}] [ключ-3]`);
  });
});

describe("maskedForms: exact lists", () => {
  it("lists a plain value, its base64 forms and its base64 slices of at least 6 characters, once each", () => {
    expect(new Set(maskedForms("abcd"))).toEqual(new Set(["abcd", "YWJjZA==", "YWJjZA"]));
    // Five bytes: slices of exactly 6 characters at offsets 0, 1 and 2.
    expect(new Set(maskedForms("abcde"))).toEqual(
      new Set(["abcde", "YWJjZGU=", "YWJjZGU", "YWJjZG", "FiY2Rl", "hYmNkZ"]),
    );
    // Six bytes: the slice at offset 0 is the base64 form itself, listed once.
    const six = maskedForms("abcdef");
    expect(six.filter((form) => form === "YWJjZGVm")).toHaveLength(1);
    expect(new Set(six).size).toBe(six.length);
  });

  it("lists base64url with - and _ in place of + and /", () => {
    const forms = maskedForms("???>>");
    expect(Buffer.from("???>>").toString("base64")).toBe("Pz8/Pj4=");
    expect(forms).toEqual(expect.arrayContaining(["Pz8/Pj4=", "Pz8_Pj4=", "Pz8_Pj4"]));
  });

  it("lists a line of exactly 4 characters, and no escaped form of a shorter one", () => {
    expect(maskedForms("first-line\nabcd")).toContain("abcd");
    expect(maskedForms('first-line\na"b')).not.toContain('a\\"b');
  });

  it("flattens only line feeds, with the whitespace around them, as drivers do", () => {
    expect(maskedForms("ab\rcd\nef")).toContain("ab\rcd ef");
  });
});
