import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { csvField, quoteBigIntegers, readLines } from "./rows.js";

describe("rows from the Python runner", () => {
  it("keeps integers beyond 2^53 exact by quoting them, and nothing else", () => {
    const line =
      '{"a": 9007199254740993, "b": -12345678901234567890, "c": 9007199254740991, "d": 1.5e300, "e": "x: 12345678901234567890, \\"q\\\\", "f": [99999999999999999]}';
    const quoted = quoteBigIntegers(line);
    expect(JSON.parse(quoted)).toEqual({
      a: "9007199254740993",
      b: "-12345678901234567890",
      c: 9007199254740991,
      d: 1.5e300,
      e: 'x: 12345678901234567890, "q\\',
      f: ["99999999999999999"],
    });
    expect(quoteBigIntegers('{"n": 1, "s": "12345678901234567890"}')).toBe('{"n": 1, "s": "12345678901234567890"}');
  });

  it("splits a stream into lines across chunk boundaries", async () => {
    const lines: string[] = [];
    for await (const line of readLines(
      Readable.from([Buffer.from("one\ntw"), Buffer.from("o\n\nthr"), Buffer.from("ee")]),
    ))
      lines.push(line);
    expect(lines).toEqual(["one", "two", "", "three"]);
  });

  it("writes CSV fields for COPY: NULL unquoted and empty, text always quoted with quotes doubled", () => {
    expect([null, undefined, "", 'a "b"', "x\\y\nz", "\\.", 12, -1.5, Number.NaN, true, false].map(csvField)).toEqual([
      "",
      "",
      '""',
      '"a ""b"""',
      '"x\\y\nz"',
      '"\\."',
      "12",
      "-1.5",
      "",
      "true",
      "false",
    ]);
    expect(csvField({ k: 'v"', n: [1, null] })).toBe('"{""k"":""v\\"""",""n"":[1,null]}"');
    expect(csvField("9007199254740993")).toBe('"9007199254740993"');
  });
});
