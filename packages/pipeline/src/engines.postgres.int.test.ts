import { openConnection, validateConnection } from "@bruin-ts/connections";
import { LOCAL_SERVERS } from "@bruin-ts/test-servers";
import { beforeAll, describe, expect, it } from "vitest";
import { materializeAsset } from "./materialize.js";
import type { Asset } from "./model.js";
import { makeAsset } from "./test-support/assets.js";
import { recordingAdapter } from "./test-support/recording-adapter.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: schema, admin } = scratchNamespace("postgres", "bruin_eng");

/** A session whose current schema is the scratch schema, so an unqualified name lands there. */
const connectInSchema = () =>
  openConnection(validateConnection({ name: "pg", type: "postgres", details: { ...LOCAL_SERVERS.postgres, schema } }));

const table = (name: string, strategy: string): Asset =>
  makeAsset(name, { type: "pg.sql", platform: "postgres", materialization: { type: "table", strategy } });

beforeAll(async () => {
  await admin().exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
});

describe("materialization statements on PostgreSQL", () => {
  it("probes the query's columns without rows, then one transaction (as on DuckDB)", async () => {
    await admin().exec(`CREATE TABLE ${schema}.t (id integer)`);
    const real = await connectInSchema();
    try {
      const { adapter, log } = recordingAdapter(real);
      await materializeAsset(adapter, table("t", "append"), "SELECT 1 AS id;");
      expect(log).toEqual([
        "query: SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 't' AND table_schema = current_schema()",
        "query: SELECT * FROM (\nSELECT 1 AS id\n) AS __bruin_source WHERE 1 = 0",
        "BEGIN",
        'INSERT INTO "t" ("id") SELECT "id" FROM (\nSELECT 1 AS id\n) AS source',
        "COMMIT",
      ]);
      expect((await admin().query(`SELECT id FROM ${schema}.t`)).rows).toEqual([{ id: 1 }]);
    } finally {
      await real.close();
    }
  });

  it("runs the whole script in one call where the driver runs scripts on one session", async () => {
    await admin().exec(`CREATE TABLE ${schema}.s (v text)`);
    const script = `SET search_path TO ${schema}; INSERT INTO s VALUES (';');`;
    const real = await connectInSchema();
    try {
      const { adapter, log } = recordingAdapter(real);
      await materializeAsset(adapter, makeAsset("s", { type: "pg.sql", platform: "postgres" }), script);
      expect(log).toEqual([`exec: ${script}`]);
      // The INSERT saw the SET: both ran on one session.
      expect((await admin().query(`SELECT v FROM ${schema}.s`)).rows).toEqual([{ v: ";" }]);
    } finally {
      await real.close();
    }
  });
});
