import { describe, expect, it } from "vitest";
import { mysql } from "./engines/mysql.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

/**
 * The values a code asset's rows are loaded with on MySQL/MariaDB: an ISO
 * timestamp in UTC loses its `T` and zone (MySQL refuses them in a DATETIME
 * literal), anything else stays the text it is, and a timestamp column keeps
 * the microseconds.
 */
const { name: db, admin } = scratchNamespace("mysql", "bruin_values");

const CONVERTED: [string, string][] = [
  ["2024-01-02T10:11:12Z", "2024-01-02 10:11:12"],
  ["2024-01-02T10:11:12+00:00", "2024-01-02 10:11:12"],
  ["2024-01-02T10:11:12-00:00", "2024-01-02 10:11:12"],
  ["2024-01-02T10:11:12+0000", "2024-01-02 10:11:12"],
  ["2024-01-02T10:11:12", "2024-01-02 10:11:12"],
  ["2024-01-02T10:11:12.5Z", "2024-01-02 10:11:12.5"],
  ["2024-01-02T10:11:12.123456+00:00", "2024-01-02 10:11:12.123456"],
];

const KEPT = [
  // A zone other than UTC is not dropped (that would move the instant).
  "2024-01-02T10:11:12+02:00",
  "2024-01-02T10:11:12-0130",
  "2024-01-02T10:11:12+00",
  "2024-01-02",
  "2024-01-02 10:11:12",
  "2024-01-02T10:11",
  "2024-01-02T10:11:12.",
  "2024-01-02T10:11:12ZZ",
  "x2024-01-02T10:11:12Z",
  "2024-01-02T10:11:12Z x",
  "24-01-02T10:11:12Z",
  "hello",
];

describe("value literals on MySQL/MariaDB", () => {
  it("turns an ISO timestamp in UTC into MySQL's DATETIME form, and quotes the rest as it is", () => {
    for (const [value, literal] of CONVERTED) expect(mysql.textValueLiteral(value), value).toBe(`'${literal}'`);
    for (const value of KEPT) expect(mysql.textValueLiteral(value), value).toBe(`'${value}'`);
    expect(mysql.textValueLiteral("it's a\\b")).toBe("'it''s a\\\\b'");
  });

  it("the column types: DATETIME(6) for timestamps, the ANSI ones otherwise", () => {
    expect(
      (["int", "float", "bool", "date", "timestamp", "str", "json"] as const).map((kind) => mysql.valueType(kind)),
    ).toEqual(["BIGINT", "DOUBLE", "BOOLEAN", "DATE", "DATETIME(6)", "TEXT", "TEXT"]);
  });

  it("the server stores each timestamp to the microsecond, and each kept value as its text", async () => {
    await admin().exec(`CREATE DATABASE \`${db}\``);
    await admin().exec(
      `CREATE TABLE \`${db}\`.ts (id INT, at ${mysql.valueType("timestamp")}, txt ${mysql.valueType("str")})`,
    );
    const rows = CONVERTED.map(([value], id) => `(${id}, ${mysql.textValueLiteral(value)}, NULL)`);
    const kept = KEPT.map((value, i) => `(${100 + i}, NULL, ${mysql.textValueLiteral(value)})`);
    await admin().exec(`INSERT INTO \`${db}\`.ts (id, at, txt) VALUES ${[...rows, ...kept].join(", ")}`);
    const { rows: stored } = await admin().query(
      `SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS at, txt FROM \`${db}\`.ts ORDER BY id`,
    );
    expect(stored.map((r) => [Number(r.id), r.at, r.txt])).toEqual([
      [0, "2024-01-02 10:11:12.000000", null],
      [1, "2024-01-02 10:11:12.000000", null],
      [2, "2024-01-02 10:11:12.000000", null],
      [3, "2024-01-02 10:11:12.000000", null],
      [4, "2024-01-02 10:11:12.000000", null],
      [5, "2024-01-02 10:11:12.500000", null],
      [6, "2024-01-02 10:11:12.123456", null],
      ...KEPT.map((value, i) => [100 + i, null, value]),
    ]);
  });
});
