import { describe, expect, it } from "vitest";
import { loadPipeline } from "./load.js";
import { renderQuery, templateContext } from "./render.js";
import { validatePipeline } from "./validate.js";
import { DAY, DuckDBPipeline, statuses } from "./test-support/duckdb-run.js";
import { sqlAsset } from "./test-support/tree.js";

const MACROS = {
  // Loaded alphabetically: a macro may call one defined in another file.
  "macros/aggregations.sql": [
    "{% macro count_by(table, column) -%}",
    "SELECT {{ column }}, COUNT(*) AS n FROM {{ table }} GROUP BY {{ column }}",
    "{%- endmacro %}",
    "",
    "{% macro top_n(table, column, n=1) -%}",
    "{{ count_by(table, column) }} ORDER BY n DESC LIMIT {{ n }}",
    "{%- endmacro %}",
  ].join("\n"),
  "macros/dates.sql": "{% macro run_day() -%}DATE '{{ start_date }}'{%- endmacro %}\n",
  "macros/notes.txt": "{% macro ignored( %}",
};

describe("macros on DuckDB", () => {
  it("are available to every asset's query, checks and hooks, see the run's context, and call each other", async () => {
    const p = new DuckDBPipeline().write({
      ...MACROS,
      "assets/raw.sql": sqlAsset(
        "name: raw\ntype: duckdb.sql\nmaterialization: {type: table}",
        "SELECT * FROM (VALUES ('NL'), ('NL'), ('DE')) t(country)",
      ),
      "assets/top.sql": sqlAsset(
        [
          "name: top",
          "type: duckdb.sql",
          "depends: [raw]",
          "materialization: {type: table}",
          "hooks:",
          '  post: [{query: "CREATE TABLE stamp AS SELECT {{ run_day() }} AS day"}]',
          "custom_checks:",
          "  - name: two rows by country",
          "    query: \"{{ count_by('raw', 'country') }}\"",
          "    count: 2",
        ].join("\n"),
        "{{ top_n('raw', 'country') }}",
      ),
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      raw: "succeeded",
      top: "succeeded",
      "top:custom-check:two_rows_by_country": "succeeded",
    });
    expect(await p.rows("SELECT country, n FROM top")).toEqual([{ country: "NL", n: 2 }]);
    expect(await p.rows("SELECT CAST(day AS VARCHAR) AS day FROM stamp")).toEqual([{ day: "2024-03-05" }]);
  });

  it("render as `bruin render` shows them", async () => {
    const p = new DuckDBPipeline().write({
      ...MACROS,
      "assets/top.sql": sqlAsset("name: top\ntype: duckdb.sql", "{{ top_n('raw', 'country', 3) }}"),
    });
    const { pipeline } = await loadPipeline(p.root);
    const context = templateContext({ assetName: "top", pipelineName: "test", interval: DAY, variables: {} });
    expect(renderQuery(pipeline.assets[0]!, context).trim()).toBe(
      "SELECT country, COUNT(*) AS n FROM raw GROUP BY country ORDER BY n DESC LIMIT 3",
    );
  });

  it("a macro file that is not a valid template is a load problem naming the file", async () => {
    const p = new DuckDBPipeline().write({
      "macros/broken.sql": "{% macro oops( %}\n",
      "assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql", "SELECT 1"),
    });
    const { issues } = await loadPipeline(p.root, { collectIssues: true });
    expect(issues).toEqual([expect.stringMatching(/macros\/broken\.sql:1: invalid macro file: /)]);
  });

  it("an asset calling a macro no file defines fails validation, naming the asset's file", async () => {
    const p = new DuckDBPipeline().write({
      ...MACROS,
      "assets/a.sql": sqlAsset("name: a\ntype: duckdb.sql", "{{ no_such_macro() }}"),
    });
    const { pipeline } = await loadPipeline(p.root);
    const { issues } = await validatePipeline(pipeline, pipeline.assets);
    expect(issues).toEqual([expect.stringMatching(/^asset 'a': failed to render the query at .*assets\/a\.sql:4: /)]);
  });
});
