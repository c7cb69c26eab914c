import type { Asset, Pipeline } from "../model.js";

/** An in-memory asset with sensible defaults, for tests that need no files. */
export function makeAsset(name: string, overrides: Partial<Asset> = {}): Asset {
  return {
    name,
    type: "duckdb.sql",
    platform: "duckdb",
    connection: "duckdb-default",
    depends: [],
    columns: [],
    customChecks: [],
    tags: [],
    query: "SELECT 1",
    path: `/virtual/assets/${name}.sql`,
    headerLine: 1,
    queryLine: 3,
    ...overrides,
  };
}

export function makePipeline(assets: Asset[], overrides: Partial<Pipeline> = {}): Pipeline {
  return {
    name: "test",
    dir: "/virtual",
    file: "/virtual/pipeline.yml",
    defaultConnections: {},
    variables: {},
    tags: [],
    assets,
    ...overrides,
  };
}
