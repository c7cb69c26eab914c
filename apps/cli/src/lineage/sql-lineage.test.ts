import { describe, expect, it } from "vitest";
import { grammarParser } from "./grammars.js";
import { queryLineage, type LineageSchema, type SqlParser } from "./sql-lineage.js";

const SCHEMA: LineageSchema = new Map([
  [
    "people",
    new Map([
      ["id", "integer"],
      ["name", "varchar"],
      ["created_at", "timestamp"],
    ]),
  ],
  [
    "raw.orders",
    new Map([
      ["order_id", "integer"],
      ["person_id", "integer"],
      ["amount", "double"],
    ]),
  ],
]);

async function parser(grammar = "postgresql"): Promise<SqlParser> {
  const found = await grammarParser(grammar);
  if (!found) throw new Error(`no grammar ${grammar}`);
  return found;
}

/** Column → its upstreams as `table.column`, for short expectations. */
async function lineage(query: string, grammar?: string) {
  const result = queryLineage(await parser(grammar), query, SCHEMA);
  return {
    columns: Object.fromEntries(result.columns.map((c) => [c.name, c.upstream.map((u) => `${u.table}.${u.column}`)])),
    nonSelected: result.nonSelectedColumns.map((c) => [c.name, c.upstream.map((u) => u.table)]),
    types: Object.fromEntries(result.columns.filter((c) => c.type).map((c) => [c.name, c.type])),
    errors: result.errors,
  };
}

describe("queryLineage", () => {
  it("follows aliases and joins; WHERE, ON and GROUP BY columns are the non-selected ones", async () => {
    const result = await lineage(
      "SELECT p.name AS person, sum(o.amount) AS total FROM people p JOIN raw.orders o ON o.person_id = p.id WHERE p.created_at > '2024-01-01' GROUP BY p.name",
    );
    expect(result.columns).toEqual({ person: ["people.name"], total: ["raw.orders.amount"] });
    expect(result.nonSelected).toEqual([
      ["created_at", ["people"]],
      ["id", ["people"]],
      ["name", ["people"]],
      ["person_id", ["raw.orders"]],
    ]);
    expect(result.errors).toEqual([]);
  });

  it("resolves unqualified columns through the schema when several tables are joined", async () => {
    const result = await lineage("SELECT name, amount, mystery FROM people JOIN raw.orders ON person_id = id");
    expect(result.columns).toEqual({ amount: ["raw.orders.amount"], mystery: [], name: ["people.name"] });
  });

  it("expands SELECT * and alias.* from the schema, a CTE or a subquery", async () => {
    expect((await lineage("SELECT * FROM people")).columns).toEqual({
      created_at: ["people.created_at"],
      id: ["people.id"],
      name: ["people.name"],
    });
    const cte = await lineage(
      "WITH big (oid, amt) AS (SELECT order_id, amount FROM raw.orders WHERE amount > 100) SELECT b.*, s.* FROM big b, (SELECT id FROM people) s",
    );
    expect(cte.columns).toEqual({ amt: ["raw.orders.amount"], id: ["people.id"], oid: ["raw.orders.order_id"] });
    expect(cte.nonSelected).toEqual([["amount", ["raw.orders"]]]);
  });

  it("leaves * for a table the schema does not know", async () => {
    expect((await lineage("SELECT * FROM somewhere.unknown")).columns).toEqual({ "*": ["somewhere.unknown.*"] });
  });

  it("takes every column an expression reads, and the types of literals and casts", async () => {
    const result = await lineage(
      "SELECT upper(name) || ' ' || CAST(id AS varchar) AS label, CAST(created_at AS date) AS day, 1 AS one, 2.5 AS half, 'x' AS letter, CAST(NULL AS bigint) AS nothing, count(*) AS n, (SELECT max(amount) FROM raw.orders) AS top FROM people",
    );
    expect(result.columns).toEqual({
      day: ["people.created_at"],
      half: [],
      label: ["people.id", "people.name"],
      letter: [],
      n: [],
      nothing: [],
      one: [],
      top: ["raw.orders.amount"],
    });
    expect(result.types).toEqual({ half: "DOUBLE", letter: "VARCHAR", n: "BIGINT", nothing: "BIGINT", one: "INT" });
  });

  it("gives a UNION's columns the upstreams of every part", async () => {
    const result = await lineage("SELECT id, name FROM people UNION ALL SELECT order_id, 'order' FROM raw.orders");
    expect(result.columns).toEqual({ id: ["people.id", "raw.orders.order_id"], name: ["people.name"] });
  });

  it("reports a query it cannot parse, a statement that is not a query, and several statements", async () => {
    const broken = await lineage("SELECT id FROM people WHERE");
    expect(broken.columns).toEqual({});
    expect(broken.errors).toEqual(["Parse error: unexpected end of input at line 1, column 28"]);
    expect((await lineage("INSERT INTO people VALUES (1, 'a', now())")).errors).toEqual(["Failed to parse query"]);
    expect((await lineage("SELECT 1 AS a; SELECT 2 AS b")).errors).toEqual(["Failed to parse query"]);
    expect((await lineage("SELECT 1 AS a;")).errors).toEqual([]);
  });

  it("reads each engine's grammar: quoted identifiers of MySQL and SQL Server", async () => {
    expect((await lineage("SELECT `p`.`name` AS n FROM `people` AS `p`", "mysql")).columns).toEqual({
      n: ["people.name"],
    });
    expect((await lineage("SELECT [p].[name] AS n FROM [people] AS [p]", "transactsql")).columns).toEqual({
      n: ["people.name"],
    });
    expect(await grammarParser("no-such-grammar")).toBeUndefined();
  });
});
