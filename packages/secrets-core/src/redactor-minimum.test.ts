import { describe, expect, it } from "vitest";
import { MASK, MIN_SECRET_LENGTH, Redactor } from "./index.js";

/**
 * The masking minimum at its boundary: a value one character shorter than
 * MIN_SECRET_LENGTH (4, as the README states) is not registered and stays
 * visible; a value of exactly that length, and one character longer, is
 * masked wherever it shows up, through `add`, `addAll` and `addFields`.
 */
describe("the masking minimum", () => {
  it("is 4 characters, as documented", () => {
    expect(MIN_SECRET_LENGTH).toBe(4);
  });

  const cases = [
    { length: MIN_SECRET_LENGTH - 1, masked: false },
    { length: MIN_SECRET_LENGTH, masked: true },
    { length: MIN_SECRET_LENGTH + 1, masked: true },
  ];

  for (const { length, masked } of cases) {
    // Characters that appear nowhere else in the surrounding text.
    const value = "Qz#Wx%Vy".slice(0, length);
    const text = `before ${value} middle ${value} after`;

    it(`a value of ${length} characters is ${masked ? "" : "not "}masked: add`, () => {
      const redactor = new Redactor();
      expect(redactor.add(value)).toBe(masked);
      expect(redactor.size > 0).toBe(masked);
      expect(redactor.redact(text)).toBe(masked ? `before ${MASK} middle ${MASK} after` : text);
    });

    it(`a value of ${length} characters is ${masked ? "" : "not "}masked: addAll and addFields`, () => {
      const all = new Redactor();
      expect(all.addAll({ nested: [value] })).toBe(masked);
      expect(all.redact(text)).toBe(masked ? `before ${MASK} middle ${MASK} after` : text);

      const fields = new Redactor();
      fields.addFields({ password: value, host: "db.internal" }, ["password"]);
      expect(fields.redact(`${text} db.internal`)).toBe(
        masked ? `before ${MASK} middle ${MASK} after db.internal` : `${text} db.internal`,
      );
    });
  }

  it("a number at the boundary is treated like its digits", () => {
    const short = new Redactor();
    expect(short.add(123)).toBe(false);
    expect(short.redact("pin 123")).toBe("pin 123");
    const exact = new Redactor();
    expect(exact.add(1234)).toBe(true);
    expect(exact.redact("pin 1234")).toBe(`pin ${MASK}`);
  });
});
