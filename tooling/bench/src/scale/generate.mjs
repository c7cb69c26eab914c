// Generates a pipeline of DuckDB view assets in a layered graph: layer 0
// reads a small range, every later asset joins an asset of the layer before
// it with a layer-0 asset (a fact chain joined to a dimension: joining two
// assets of the layer before instead would make DuckDB bind 2^layer views per
// statement, and the figure would measure DuckDB's binder alone). Names are
// unqualified and headers list dependencies as a flow sequence
// (`depends: [a, b]`), as a user would write them by hand. Also returns what the direct DuckDB baseline sends: one CREATE OR REPLACE VIEW
// per asset, in an order that respects the dependencies.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DATABASE_FILE = "bench.duckdb";

export function assetName(layer, index) {
  return `layer_${String(layer).padStart(2, "0")}_asset_${String(index).padStart(3, "0")}`;
}

/** The query of one asset and the assets it reads from. */
function assetQuery(layer, index, width) {
  if (layer === 0) return { query: `SELECT i AS id, i * ${index + 1} AS v FROM range(10) AS t(i)`, depends: [] };
  const left = assetName(layer - 1, index);
  const right = assetName(0, (index + 1) % width);
  return {
    query: `SELECT a.id, a.v + b.v AS v FROM ${left} AS a JOIN ${right} AS b USING (id)`,
    depends: [left, right],
  };
}

/**
 * Writes `dir` (emptied first): pipeline.yml, .bruin.yml and one .sql file
 * per asset. Returns the statements a run executes, in dependency order.
 */
export function generatePipeline(dir, { layers = 10, width = 100 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "assets"), { recursive: true });
  writeFileSync(
    path.join(dir, "pipeline.yml"),
    ["name: scale", "default_connections:", "  duckdb: duckdb-scale", ""].join("\n"),
  );
  writeFileSync(
    path.join(dir, ".bruin.yml"),
    [
      "default_environment: default",
      "environments:",
      "  default:",
      "    connections:",
      "      duckdb:",
      "        - name: duckdb-scale",
      `          path: ${DATABASE_FILE}`,
      "",
    ].join("\n"),
  );
  const statements = [];
  for (let layer = 0; layer < layers; layer++) {
    const folder = path.join(dir, "assets", `layer_${String(layer).padStart(2, "0")}`);
    mkdirSync(folder, { recursive: true });
    for (let index = 0; index < width; index++) {
      const name = assetName(layer, index);
      const { query, depends } = assetQuery(layer, index, width);
      const header = ["/* @bruin", `name: ${name}`, "type: duckdb.sql", "materialization:", "  type: view"];
      if (depends.length > 0) header.push(`depends: [${depends.join(", ")}]`);
      header.push("@bruin */");
      writeFileSync(
        path.join(folder, `asset_${String(index).padStart(3, "0")}.sql`),
        `${header.join("\n")}\n${query}\n`,
      );
      // All a user would write by hand: the view, nothing else.
      statements.push(`CREATE OR REPLACE VIEW ${name} AS\n${query}`);
    }
  }
  return statements;
}
