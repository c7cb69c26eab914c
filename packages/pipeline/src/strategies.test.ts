import path from "node:path";
import { describe, expect, it } from "vitest";
import { displayPath } from "./display-path.js";
import { loadPipeline } from "./load.js";
import { scratchDir, sqlAsset, writeTree } from "./test-support/tree.js";
import { validatePipeline } from "./validate.js";

/** The validation problems of one DuckDB asset with the given header lines, as `bruin validate` lists them. */
async function problems(header: string, query = "SELECT 1 AS id"): Promise<string[]> {
  const root = writeTree(scratchDir("bruin-strategies-"), {
    "pipeline.yml": "name: p\n",
    "assets/t.sql": sqlAsset(`name: t\ntype: duckdb.sql\n${header}`, query),
  });
  const { pipeline } = await loadPipeline(root);
  const file = displayPath(path.join(root, "assets/t.sql"));
  const { issues } = await validatePipeline(pipeline, pipeline.assets);
  return issues.map((i) => i.replace(`asset 't' (${file}): `, "IN FILE: "));
}

describe("the fields each strategy requires, as validate reports them (naming the asset's file)", () => {
  it("time_interval: incremental_key and a time_granularity of date or timestamp", async () => {
    expect(await problems("materialization: {type: table, strategy: time_interval}")).toEqual([
      "IN FILE: materialization strategy 'time_interval' requires 'incremental_key'",
      "IN FILE: materialization strategy 'time_interval' requires 'time_granularity' (date or timestamp)",
    ]);
    expect(
      await problems(
        "materialization: {type: table, strategy: time_interval, incremental_key: dt, time_granularity: hour}",
      ),
    ).toEqual(["IN FILE: 'time_granularity' must be either 'date' or 'timestamp', not 'hour'"]);
    expect(
      await problems(
        "materialization: {type: table, strategy: time_interval, incremental_key: dt, time_granularity: date}",
      ),
    ).toEqual([]);
  });

  it("scd2_by_column: a primary key, and none of the columns SCD2 adds", async () => {
    expect(await problems("materialization: {type: table, strategy: scd2_by_column}")).toEqual([
      "IN FILE: materialization strategy 'scd2_by_column' requires at least one column with 'primary_key: true'",
    ]);
    const header =
      "materialization: {type: table, strategy: scd2_by_column}\ncolumns:\n  - {name: id, primary_key: true}";
    expect(await problems(`${header}\n  - {name: _valid_from}\n  - {name: _is_current}`)).toEqual([
      "IN FILE: column name '_valid_from' is reserved for SCD2 and cannot be used",
      "IN FILE: column name '_is_current' is reserved for SCD2 and cannot be used",
    ]);
    expect(await problems(header)).toEqual([]);
  });

  it("scd2_by_time: a primary key and an incremental_key of a date or timestamp type", async () => {
    expect(await problems("materialization: {type: table, strategy: scd2_by_time}")).toEqual([
      "IN FILE: materialization strategy 'scd2_by_time' requires 'incremental_key'",
      "IN FILE: materialization strategy 'scd2_by_time' requires at least one column with 'primary_key: true'",
    ]);
    const header = (type: string) =>
      `materialization: {type: table, strategy: scd2_by_time, incremental_key: dt}\ncolumns:\n  - {name: id, primary_key: true}\n  - {name: dt, type: ${type}}`;
    expect(await problems(header("INTEGER"))).toEqual([
      "IN FILE: incremental_key 'dt' must be a TIMESTAMP or DATE column for 'scd2_by_time', not INTEGER",
    ]);
    expect(await problems(header("DATE"))).toEqual([]);
    expect(await problems(header("timestamp"))).toEqual([]);
  });

  it("ddl: columns, each with a type", async () => {
    expect(await problems("materialization: {type: table, strategy: ddl}", "")).toEqual([
      "IN FILE: materialization strategy 'ddl' requires 'columns' with a name and a type each",
    ]);
    expect(
      await problems(
        "materialization: {type: table, strategy: ddl}\ncolumns:\n  - {name: id, type: INTEGER}\n  - {name: v}",
        "",
      ),
    ).toEqual(["IN FILE: materialization strategy 'ddl' requires a 'type' for column 'v'"]);
  });

  it("incremental_predicate: only with merge", async () => {
    expect(
      await problems("materialization: {type: table, strategy: append, incremental_predicate: 'target.id > 1'}"),
    ).toEqual(["IN FILE: 'incremental_predicate' applies to the 'merge' strategy only, not 'append'"]);
  });

  it("Data Vault: each role filled, and a type for every column", async () => {
    expect(
      await problems("materialization: {type: table, strategy: datavault_hub}\ncolumns:\n  - {name: x, type: INT}"),
    ).toEqual([
      "IN FILE: materialization strategy 'datavault_hub' requires a hub hash key column ('datavault_role: hash_key' or 'primary_key: true')",
      "IN FILE: materialization strategy 'datavault_hub' requires at least one business key column ('datavault_role: business_key')",
      "IN FILE: materialization strategy 'datavault_hub' requires a load datetime column ('datavault_role: load_datetime')",
      "IN FILE: materialization strategy 'datavault_hub' requires a record source column ('datavault_role: record_source')",
    ]);
    const link = [
      "materialization: {type: table, strategy: datavault_link}",
      "columns:",
      "  - {name: a_hk, type: TEXT, primary_key: true}",
      "  - {name: b_hk, type: TEXT, primary_key: true}",
      "  - {name: load_dts}",
      "  - {name: record_source, type: TEXT}",
    ].join("\n");
    expect(await problems(link)).toEqual([
      "IN FILE: materialization strategy 'datavault_link' requires a 'type' for column 'load_dts'",
      "IN FILE: materialization strategy 'datavault_link' cannot tell which of the primary key columns (a_hk, b_hk) is the hash key; mark it with 'datavault_role: link_hash_key'",
    ]);
    const satellite = [
      "materialization: {type: table, strategy: datavault_satellite}",
      "columns:",
      "  - {name: customer_hk, type: TEXT}",
      "  - {name: hash_diff, type: TEXT}",
      "  - {name: loaded_at, type: TIMESTAMP}",
      "  - {name: record_source, type: TEXT}",
    ].join("\n");
    expect(await problems(satellite)).toEqual([]);
    expect(await problems(satellite.replace("hash_diff", "diff"))).toEqual([
      "IN FILE: materialization strategy 'datavault_satellite' requires a hashdiff column ('datavault_role: hashdiff')",
    ]);
  });

  it("full_refresh_restricted (and refresh_restricted) must be true or false", async () => {
    await expect(problems("full_refresh_restricted: maybe")).rejects.toThrow(
      /\(.*assets\/t\.sql\): 'full_refresh_restricted' must be true or false$/,
    );
    expect(await problems("refresh_restricted: true")).toEqual([]);
  });
});
