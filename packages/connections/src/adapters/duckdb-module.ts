import { createRequire } from "node:module";

/**
 * `@duckdb/node-api`, loaded with `require`. It is a CommonJS package:
 * imported as ES modules, Node first scans each of the files its entry
 * re-exports for the names they export (about 40 ms per process), which
 * `require` does not. Loaded the first time a DuckDB connection is opened,
 * with the adapter that imports this module.
 */
export const duckdb = createRequire(import.meta.url)("@duckdb/node-api") as typeof import("@duckdb/node-api");
