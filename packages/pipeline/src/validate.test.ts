import { describe, expect, it } from "vitest";
import type { Column } from "./model.js";
import { makeAsset, makePipeline } from "./test-support/assets.js";
import { connectionTypeProblems, validatePipeline, yesterdayUtc } from "./validate.js";

const column = (name: string, extra: Partial<Column> = {}): Column => ({
  name,
  primaryKey: false,
  updateOnMerge: false,
  checks: [],
  ...extra,
});

describe("validatePipeline", () => {
  it("finds nothing wrong with a sound selection, and asks for each connection once", async () => {
    const a = makeAsset("a", { connection: "wh", query: "SELECT '{{ start_date }}' AS d, '{{ var.region }}' AS r" });
    const b = makeAsset("b", {
      connection: "wh",
      depends: ["a"],
      materialization: { type: "table", strategy: "merge" },
      columns: [column("id", { primaryKey: true })],
    });
    const asked: string[] = [];
    const result = await validatePipeline(makePipeline([a, b], { variables: { region: "eu" } }), [a, b], {
      resolveConnection: async (name) => void asked.push(name),
      variables: { region: "us" },
    });
    expect(result.issues).toEqual([]);
    expect(asked).toEqual(["wh"]);
  });

  it("reports each kind of problem, naming the asset", async () => {
    const assets = [
      makeAsset("py", {
        type: "python",
        connection: "",
        unsupported: "asset 'py' (assets/py.py): asset type 'python' is not supported; only SQL assets run here",
      }),
      makeAsset("orphan", { depends: ["ghost"] }),
      makeAsset("x", { depends: ["y"] }),
      makeAsset("y", { depends: ["x"] }),
      makeAsset("odd", { materialization: { type: "table", strategy: "scd3" } }),
      makeAsset("di", { materialization: { type: "table", strategy: "delete+insert" } }),
      makeAsset("mg", {
        materialization: { type: "table", strategy: "merge" },
        columns: [column("v", { updateOnMerge: true })],
      }),
      makeAsset("sf", {
        platform: "snowflake",
        type: "sf.sql",
        materialization: { type: "table", strategy: "append" },
      }),
      makeAsset("ms", {
        platform: "mssql",
        type: "ms.sql",
        columns: [column("code", { checks: [{ name: "pattern", value: "^a", blocking: true }] })],
      }),
      makeAsset("tpl", { query: "SELECT 1\nFROM t\nWHERE x = {{ var.missing }}", queryLine: 5 }),
      makeAsset("cc", { customChecks: [{ name: "bad", query: "SELECT {% if %}", value: 0, blocking: true }] }),
    ];
    const { issues } = await validatePipeline(makePipeline(assets), assets);
    expect(issues).toEqual([
      "asset 'py' (assets/py.py): asset type 'python' is not supported; only SQL assets run here",
      "asset 'orphan' (/virtual/assets/orphan.sql) depends on 'ghost', which does not exist",
      "asset 'odd' (/virtual/assets/odd.sql): materialization strategy 'scd3' is not supported; use one of: create+replace, append, delete+insert, truncate+insert, merge, time_interval, scd2_by_column, scd2_by_time, ddl, datavault_hub, datavault_link, datavault_satellite",
      "asset 'di' (/virtual/assets/di.sql): materialization strategy 'delete+insert' requires 'incremental_key'",
      "asset 'mg' (/virtual/assets/mg.sql): materialization strategy 'merge' requires at least one column with 'primary_key: true'",
      "asset 'sf': materialization strategy 'append' is not supported on snowflake yet",
      "asset 'ms': column 'code': the 'pattern' check is not supported on SQL Server (mssql), which has no regular expressions",
      "asset 'tpl': failed to render the query at /virtual/assets/tpl.sql:7: undefined value in '{{ var.missing }}'",
      expect.stringMatching(/^asset 'cc': failed to render the custom check 'bad'/),
      "dependency cycle: x -> y -> x",
    ]);
  });

  it("checks only the selected assets (an unsupported asset left out does not matter)", async () => {
    const ok = makeAsset("ok");
    const py = makeAsset("py", { unsupported: "asset 'py': not supported" });
    expect((await validatePipeline(makePipeline([ok, py]), [ok])).issues).toEqual([]);
  });

  it("reports undeclared variables once instead of a render error per asset", async () => {
    const a = makeAsset("a", { query: "SELECT {{ var.limit }}" });
    const { issues } = await validatePipeline(makePipeline([a], { variables: { limit: 1 } }), [a], {
      variables: { limt: 2 },
    });
    expect(issues).toEqual(["unknown variable 'limt'; declared variables: limit"]);
  });

  it("renders with the given interval", async () => {
    const a = makeAsset("a", { query: "{% if start_date != '2024-02-29' %}{{ fail.me }}{% endif %}SELECT 1" });
    const interval = { start: new Date("2024-02-29T00:00:00Z"), end: new Date("2024-02-29T23:59:59Z") };
    expect((await validatePipeline(makePipeline([a]), [a], { interval })).issues).toEqual([]);
    expect((await validatePipeline(makePipeline([a]), [a])).issues).toHaveLength(1);
  });

  it("reports connections the resolver rejects, with the assets using them", async () => {
    const assets = ["a", "b", "c", "d", "e"].map((n) => makeAsset(n, { connection: n === "e" ? "good" : "broken" }));
    const { issues } = await validatePipeline(makePipeline(assets), assets, {
      resolveConnection: async (name) => {
        if (name === "broken") throw new Error("connection 'broken' not found in secrets backend 'infisical'");
      },
    });
    expect(issues).toEqual([
      "connection 'broken' (used by 'a', 'b', 'c' and 1 more): connection 'broken' not found in secrets backend 'infisical'",
    ]);
  });

  it("defaults the interval to yesterday in UTC", () => {
    const { start, end } = yesterdayUtc(new Date("2024-03-01T05:00:00Z"));
    expect([start.toISOString(), end.toISOString()]).toEqual(["2024-02-29T00:00:00.000Z", "2024-02-29T23:59:59.999Z"]);
  });
});

describe("asset and connection types", () => {
  it("reports an asset whose connection is of another platform's type, naming both types", async () => {
    const onMysql = makeAsset("orders", { type: "my.sql", platform: "mysql", connection: "pg" });
    const onDuck = makeAsset("events", { type: "pg.sql", platform: "postgres", connection: "duck" });
    const fine = makeAsset("fine", { type: "pg.sql", platform: "postgres", connection: "pg" });
    const types: Record<string, string> = { pg: "postgres", duck: "duckdb" };
    const { issues } = await validatePipeline(makePipeline([onMysql, onDuck, fine]), [onMysql, onDuck, fine], {
      resolveConnection: async (name) => ({ name, type: types[name] }),
    });
    expect(issues).toEqual([
      "asset 'orders' of type 'my.sql' runs on a mysql connection, but connection 'pg' is of type 'postgres'",
      "asset 'events' of type 'pg.sql' runs on a postgres connection, but connection 'duck' is of type 'duckdb'",
    ]);
  });

  it("accepts a type written by its alias and leaves unknown or failed connections to the other checks", () => {
    const mongo = makeAsset("m", { type: "mongo.sql", platform: "mongodb", connection: "mg" });
    const unknown = makeAsset("u", { connection: "missing" });
    expect(connectionTypeProblems([mongo, unknown], (name) => (name === "mg" ? "mongo" : undefined))).toEqual([]);
  });
});
