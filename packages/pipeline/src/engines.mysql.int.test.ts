import { openLocalServer } from "@bruin-ts/test-servers";
import { beforeAll, describe, expect, it } from "vitest";
import { materializeAsset } from "./materialize.js";
import { makeAsset } from "./test-support/assets.js";
import { stableNames } from "./test-support/fake-adapter.js";
import { recordingAdapter } from "./test-support/recording-adapter.js";
import { scratchNamespace } from "./test-support/scratch-namespace.js";

const { name: db, admin } = scratchNamespace("mysql", "bruin_eng");

beforeAll(async () => {
  await admin().exec(`CREATE DATABASE IF NOT EXISTS \`${db}\``);
});

describe("materialization statements on MySQL/MariaDB", () => {
  it("builds the scratch table, reads its columns, applies in one transaction, always drops it", async () => {
    await admin().exec(`CREATE TABLE \`${db}\`.t (id INT NOT NULL)`);
    const asset = makeAsset(`${db}.t`, {
      type: "my.sql",
      platform: "mysql",
      materialization: { type: "table", strategy: "append" },
    });
    const real = await openLocalServer("mysql", "db");
    try {
      const { adapter, log } = recordingAdapter(real);
      await materializeAsset(adapter, asset, "SELECT 1 AS id");
      expect(stableNames(log)).toEqual([
        `query: SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 't' AND table_schema = '${db}'`,
        `exec: CREATE TABLE \`${db}\`.\`__bruin_tmp_X\` AS\nSELECT 1 AS id`,
        `query: SELECT * FROM \`${db}\`.\`__bruin_tmp_X\` WHERE 1 = 0`,
        "BEGIN",
        `INSERT INTO \`${db}\`.\`t\` (\`id\`) SELECT \`id\` FROM \`${db}\`.\`__bruin_tmp_X\``,
        "COMMIT",
        `exec: DROP TABLE IF EXISTS \`${db}\`.\`__bruin_tmp_X\``,
      ]);
      expect((await admin().query(`SELECT id FROM \`${db}\`.t`)).rows).toEqual([{ id: 1 }]);

      // The INSERT fails on the server (NULL into a NOT NULL column): rolled back, scratch table dropped.
      const failing = recordingAdapter(real);
      await expect(materializeAsset(failing.adapter, asset, "SELECT NULL AS id")).rejects.toThrow(/null/i);
      expect(stableNames(failing.log).slice(-2)).toEqual([
        "ROLLBACK",
        `exec: DROP TABLE IF EXISTS \`${db}\`.\`__bruin_tmp_X\``,
      ]);
      expect((await admin().query(`SELECT id FROM \`${db}\`.t`)).rows).toEqual([{ id: 1 }]);
      const leftovers = await admin().query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${db}' AND table_name LIKE '\\_\\_bruin%'`,
      );
      expect(leftovers.rows).toEqual([]);
    } finally {
      await real.close();
    }
  });
});
