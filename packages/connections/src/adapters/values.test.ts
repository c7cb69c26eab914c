import { BigQuery } from "@google-cloud/bigquery";
import { plainInteger } from "../plain-values.js";
import { Binary, Decimal128, Long, ObjectId } from "mongodb";
import { describe, expect, it } from "vitest";
import { plainBigQuery } from "./bigquery.js";
import { plainBson } from "./mongodb-values.js";

describe("plainBson", () => {
  it("turns BSON values into plain JS, nested ones too", () => {
    const id = new ObjectId("64b7f0c2a1b2c3d4e5f60718");
    const row = {
      _id: id,
      big: Long.fromString("9007199254740993"),
      small: Long.fromNumber(42),
      price: Decimal128.fromString("12.50"),
      exact: Decimal128.fromString("12345678901234567.89"),
      blob: new Binary(Buffer.from("hi")),
      at: new Date("2024-01-02T03:04:05Z"),
      nested: { ids: [id], none: null },
    };
    expect(plainBson(row)).toEqual({
      _id: "64b7f0c2a1b2c3d4e5f60718",
      big: "9007199254740993",
      small: 42,
      price: 12.5,
      exact: "12345678901234567.89",
      blob: "aGk=",
      at: new Date("2024-01-02T03:04:05Z"),
      nested: { ids: ["64b7f0c2a1b2c3d4e5f60718"], none: null },
    });
  });
});

describe("plainBigQuery", () => {
  it("turns the rows the client decodes from an API answer into plain JS", () => {
    const field = (name: string, type: string, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });
    const schema = {
      fields: [
        field("day", "DATE"),
        field("at", "TIMESTAMP"),
        field("local", "DATETIME"),
        field("time", "TIME"),
        field("place", "GEOGRAPHY"),
        field("amount", "NUMERIC"),
        field("huge", "BIGNUMERIC"),
        field("n", "INT64"),
        field("big", "INT64"),
        field("items", "RECORD", { mode: "REPEATED", fields: [field("day", "DATE")] }),
        field("none", "STRING"),
      ],
    };
    const raw = [
      {
        f: [
          { v: "2024-03-01" },
          { v: "1709287200000000" },
          { v: "2024-03-01T10:00:00" },
          { v: "10:00:00" },
          { v: "POINT(1 2)" },
          { v: "12.34" },
          { v: "123456789012345678.9" },
          { v: "7" },
          { v: "9007199254740993" },
          { v: [{ v: { f: [{ v: "2024-03-02" }] } }] },
          { v: null },
        ],
      },
    ];
    const [row] = BigQuery.mergeSchemaWithRows_(schema, raw, {
      wrapIntegers: { integerTypeCastFunction: (value: string) => plainInteger(value) },
    });
    expect(plainBigQuery(row)).toEqual({
      day: "2024-03-01",
      at: new Date("2024-03-01T10:00:00.000Z"),
      local: new Date("2024-03-01T10:00:00.000Z"),
      time: "10:00:00",
      place: "POINT(1 2)",
      amount: 12.34,
      huge: "123456789012345678.9",
      n: 7,
      big: "9007199254740993",
      items: [{ day: "2024-03-02" }],
      none: null,
    });
  });
});
