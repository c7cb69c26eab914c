import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPipeline } from "./load.js";
import { validatePipeline } from "./validate.js";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";

const CSV = 'id,name,score,active,joined,zip\n1,Ada,9.5,true,2024-01-01,01234\n2,"Lin, Jr.",7,false,2024-02-01,\n';
const SEED = [
  "name: raw.people",
  "type: duckdb.seed",
  "parameters:",
  "  path: people.csv",
  "columns:",
  "  - name: id",
  "    type: integer",
  "    checks: [not_null, unique]",
  "  - name: name",
  "    type: string",
  "",
].join("\n");

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith("/people.csv")) {
      res.writeHead(200, { "content-type": "text/csv" }).end(CSV);
    } else res.writeHead(404).end("no");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("seed assets on DuckDB", () => {
  it("load the CSV beside the asset file into its table, with declared and inferred types, then run its checks", async () => {
    const p = new DuckDBPipeline().write({ "assets/raw/people.asset.yml": SEED, "assets/raw/people.csv": CSV });
    const result = await p.run();
    expect(statuses(result)).toEqual({
      "raw.people": "succeeded",
      "raw.people:id:not_null": "succeeded",
      "raw.people:id:unique": "succeeded",
    });
    expect(
      await p.rows(
        "SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = 'people' ORDER BY ordinal_position",
      ),
    ).toEqual([
      { c: "id", t: "BIGINT" },
      { c: "name", t: "VARCHAR" },
      { c: "score", t: "DOUBLE" },
      { c: "active", t: "BOOLEAN" },
      { c: "joined", t: "DATE" },
      { c: "zip", t: "VARCHAR" },
    ]);
    expect(
      await p.rows(
        "SELECT id, name, score, active, CAST(joined AS VARCHAR) AS joined, zip FROM raw.people ORDER BY id",
      ),
    ).toEqual([
      { id: 1, name: "Ada", score: 9.5, active: true, joined: "2024-01-01", zip: "01234" },
      { id: 2, name: "Lin, Jr.", score: 7, active: false, joined: "2024-02-01", zip: null },
    ]);

    // A second run replaces the rows with the file's.
    p.write({ "assets/raw/people.csv": "id,name,score,active,joined,zip\n3,Kay,1,true,2024-03-01,9\n" });
    expect((await p.run()).ok).toBe(true);
    expect(await p.rows("SELECT id FROM raw.people")).toEqual([{ id: 3 }]);
  });

  it("load a CSV from an http(s) URL, and never show the URL's query in a failure", async () => {
    const p = new DuckDBPipeline().write({
      "assets/a.asset.yml": `name: a\ntype: duckdb.seed\nparameters:\n  path: ${base}/people.csv?token=abc\n`,
      "assets/b.asset.yml": `name: b\ntype: duckdb.seed\nparameters:\n  path: ${base}/missing.csv?token=s3cr3t-value\n`,
    });
    const result = await p.run();
    expect(statuses(result)).toEqual({ a: "succeeded", b: "failed" });
    expect(await p.rows("SELECT count(*) AS n FROM a")).toEqual([{ n: 2 }]);
    expect(errorOf(result, "b")).toBe(`seed 'b' (${base}/missing.csv): cannot be read: HTTP 404`);
  });

  it("use <asset name>.csv beside the asset file when no path is given", async () => {
    const p = new DuckDBPipeline().write({
      "assets/lookup.asset.yml": "name: lookup\ntype: duckdb.seed\n",
      "assets/lookup.csv": "code,label\nA,alpha\n",
    });
    expect((await p.run()).ok).toBe(true);
    expect(await p.rows("SELECT code, label FROM lookup")).toEqual([{ code: "A", label: "alpha" }]);
  });

  it("fail when a declared column is not in the CSV, or the CSV is malformed", async () => {
    const p = new DuckDBPipeline().write({
      "assets/raw/people.asset.yml": SEED.replace("name: name", "name: email"),
      "assets/raw/people.csv": CSV,
      "assets/bad.asset.yml": "name: bad\ntype: duckdb.seed\nparameters: {path: bad.csv}\n",
      "assets/bad.csv": "a,b\n1,2,3\n",
    });
    const result = await p.run();
    expect(errorOf(result, "raw.people")).toMatch(
      /^seed 'raw\.people' \(.*people\.csv\): declared columns missing from the CSV: email$/,
    );
    expect(errorOf(result, "bad")).toMatch(/^seed 'bad' \(.*bad\.csv\): invalid CSV: /);
  });

  it("with a missing local file fail validation, naming the asset's file; an unknown platform is unsupported", async () => {
    const p = new DuckDBPipeline().write({
      "assets/gone.asset.yml": "name: gone\ntype: duckdb.seed\nparameters: {path: nowhere.csv}\n",
      "assets/odd.asset.yml": "name: odd\ntype: nosuch.seed\n",
    });
    const { pipeline } = await loadPipeline(p.root);
    const { issues } = await validatePipeline(pipeline, pipeline.assets);
    expect(issues).toEqual([
      expect.stringMatching(
        /^asset 'gone' \(.*assets\/gone\.asset\.yml\): the seed file .*assets\/nowhere\.csv does not exist$/,
      ),
      expect.stringMatching(
        /^asset 'odd' \(.*assets\/odd\.asset\.yml\): no connection mapping found for asset type 'nosuch\.seed'$/,
      ),
    ]);
  });
});
