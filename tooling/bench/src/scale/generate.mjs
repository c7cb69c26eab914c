// Generates a pipeline of DuckDB view assets in a layered graph: layer 0
// reads a small range, every later asset joins two assets of the layer
// before it. Also returns the statements `bruin run` sends for it, in an
// order that respects the dependencies, for the direct DuckDB baseline.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DATABASE_FILE = "bench.duckdb";

export function assetName(layer, index) {
  return `layer_${String(layer).padStart(2, "0")}.asset_${String(index).padStart(3, "0")}`;
}

function quoted(name) {
  return name
    .split(".")
    .map((part) => `"${part}"`)
    .join(".");
}

/** The query of one asset and the assets it reads from. */
function assetQuery(layer, index, width) {
  if (layer === 0) return { query: `SELECT i AS id, i * ${index + 1} AS v FROM range(10) AS t(i)`, depends: [] };
  const left = assetName(layer - 1, index);
  const right = assetName(layer - 1, (index + 1) % width);
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
      if (depends.length > 0) header.push("depends:", ...depends.map((d) => `  - ${d}`));
      header.push("@bruin */");
      writeFileSync(
        path.join(folder, `asset_${String(index).padStart(3, "0")}.sql`),
        `${header.join("\n")}\n${query}\n`,
      );
      // What the view materialization sends: the schema, then the view.
      statements.push(`CREATE SCHEMA IF NOT EXISTS "${name.split(".")[0]}"`);
      statements.push(`CREATE OR REPLACE VIEW ${quoted(name)} AS\n${query}`);
    }
  }
  return statements;
}
