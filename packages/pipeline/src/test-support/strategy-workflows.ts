import type { ConnectionAdapter } from "@bruin-ts/connections";
import { expect, it } from "vitest";
import type { RunInterval } from "../render.js";
import { errorOf, runPipelineFolder, statuses, type RunFolderOptions } from "./duckdb-run.js";
import { scratchDir, sqlAsset, writeTree } from "./tree.js";

/** An engine the multi-run workflows of the newer strategies run against. */
export interface WorkflowTarget {
  assetType: string;
  /** pipeline.yml `default_connections` key. */
  platform: string;
  /** Schema (or MySQL database) the test tables live in. */
  namespace: string;
  /** A new adapter; the run closes it. */
  connect: () => Promise<ConnectionAdapter>;
  /** Whether the engine runs the Data Vault strategies (the reference: PostgreSQL and DuckDB only). */
  dataVault: boolean;
  /** Rows of a query, read with the session time zone at UTC. */
  rows: (sql: string) => Promise<Record<string, unknown>[]>;
}

const interval = (start: string, end: string, endMicros = 0): RunInterval => ({
  start: new Date(start),
  end: new Date(end),
  startMicros: 0,
  endMicros,
});

/** SCD2 flags as every engine returns them: 1 or 0. */
const flag = (condition: string) => `CASE WHEN ${condition} THEN 1 ELSE 0 END`;
/** An instant as `YYYY-MM-DD HH:MM:SS` (UTC), on every engine. */
const text = (column: string) => `SUBSTRING(CAST(${column} AS CHAR(40)), 1, 19)`;

/**
 * The time_interval and SCD2 workflows of the reference's integration tests:
 * one asset run several times over changing source rows, checked after each run.
 */
export function strategyWorkflowTests(target: WorkflowTarget): void {
  const ns = target.namespace;
  const pipeline = () =>
    writeTree(scratchDir("bruin-workflow-"), {
      "pipeline.yml": `name: workflows\ndefault_connections:\n  ${target.platform}: db\n`,
    });
  const write = (root: string, table: string, header: string, query: string) =>
    writeTree(root, { "assets/t.sql": sqlAsset(`name: ${ns}.${table}\ntype: ${target.assetType}\n${header}`, query) });
  const run = async (root: string, options: RunFolderOptions = {}) => {
    const result = await runPipelineFolder(root, target.connect, options);
    expect(result.tasks.map((t) => [t.status, t.error])).toEqual([["succeeded", undefined]]);
  };

  it("time_interval (timestamp): replaces the rows of the run's interval, bounds included, in one transaction", async () => {
    const header =
      "materialization: {type: table, strategy: time_interval, incremental_key: ts, time_granularity: timestamp}";
    const events = (rows: [string, string][]) =>
      rows.map(([ts, v]) => `SELECT TIMESTAMP '${ts}' AS ts, '${v}' AS v`).join(" UNION ALL ");
    const root = pipeline();
    write(
      root,
      "ti_ts",
      header,
      events([
        ["2024-03-05 09:59:59", "before"],
        ["2024-03-05 10:00:00", "start"],
        ["2024-03-05 11:59:59", "end"],
        ["2024-03-05 12:00:00", "after"],
      ]),
    );
    await run(root, { fullRefresh: true });
    write(root, "ti_ts", header, events([["2024-03-05 10:30:00", "new"]]));
    await run(root, { interval: interval("2024-03-05T10:00:00Z", "2024-03-05T11:59:59.999Z", 999) });
    expect(await target.rows(`SELECT ${text("ts")} AS ts, v FROM ${ns}.ti_ts ORDER BY ts`)).toEqual([
      { ts: "2024-03-05 09:59:59", v: "before" },
      { ts: "2024-03-05 10:30:00", v: "new" },
      { ts: "2024-03-05 12:00:00", v: "after" },
    ]);
  });

  it("time_interval (date): each run replaces its own days; --full-refresh recreates the table from the query", async () => {
    const header =
      "materialization: {type: table, strategy: time_interval, incremental_key: dt, time_granularity: date}";
    const sales = (rows: [string, number][]) =>
      rows.map(([dt, n]) => `SELECT DATE '${dt}' AS dt, ${n} AS n`).join(" UNION ALL ");
    const root = pipeline();
    write(
      root,
      "ti_date",
      header,
      sales([
        ["2024-03-01", 1],
        ["2024-03-02", 2],
        ["2024-03-03", 3],
      ]),
    );
    await run(root);
    // Two days at once; the third day of the interval has no rows any more.
    write(
      root,
      "ti_date",
      header,
      sales([
        ["2024-03-02", 20],
        ["2024-03-04", 40],
      ]),
    );
    await run(root, { interval: interval("2024-03-02T00:00:00Z", "2024-03-04T23:59:59.999Z", 999) });
    const rows = () => target.rows(`SELECT CAST(dt AS CHAR(10)) AS dt, n FROM ${ns}.ti_date ORDER BY dt, n`);
    expect(await rows()).toEqual([
      { dt: "2024-03-01", n: 1 },
      { dt: "2024-03-02", n: 20 },
      { dt: "2024-03-04", n: 40 },
    ]);
    write(root, "ti_date", header, sales([["2024-03-09", 9]]));
    await run(root, { fullRefresh: true });
    expect(await rows()).toEqual([{ dt: "2024-03-09", n: 9 }]);
  });

  it("scd2_by_column: three runs of the reference's menu (a change, a new key, removed keys)", async () => {
    const header = (keys: string[]) =>
      [
        "materialization: {type: table, strategy: scd2_by_column}",
        "columns:",
        ...["id", "name", "price"].map((c) => `  - {name: ${c}${keys.includes(c) ? ", primary_key: true" : ""}}`),
      ].join("\n");
    const menu = (rows: [number, string, number][]) =>
      rows.map(([id, name, price]) => `SELECT ${id} AS id, '${name}' AS name, ${price} AS price`).join(" UNION ALL ");
    const rows = () =>
      target.rows(
        `SELECT id, name, price, ${flag("_is_current")} AS cur, ${flag("EXTRACT(YEAR FROM _valid_until) = 9999")} AS open ` +
          `FROM ${ns}.menu ORDER BY id, _valid_from, cur`,
      );
    const root = pipeline();
    write(
      root,
      "menu",
      header(["id"]),
      menu([
        [1, "Cola", 399],
        [2, "Tea", 499],
        [3, "Coffee", 599],
      ]),
    );
    await run(root, { fullRefresh: true });
    expect(await rows()).toEqual([
      { id: 1, name: "Cola", price: 399, cur: 1, open: 1 },
      { id: 2, name: "Tea", price: 499, cur: 1, open: 1 },
      { id: 3, name: "Coffee", price: 599, cur: 1, open: 1 },
    ]);
    write(
      root,
      "menu",
      header(["id", "name"]),
      menu([
        [1, "Cola", 799],
        [2, "Tea", 499],
        [4, "Fanta", 199],
      ]),
    );
    await run(root);
    expect(await rows()).toEqual([
      { id: 1, name: "Cola", price: 399, cur: 0, open: 0 },
      { id: 1, name: "Cola", price: 799, cur: 1, open: 1 },
      { id: 2, name: "Tea", price: 499, cur: 1, open: 1 },
      { id: 3, name: "Coffee", price: 599, cur: 0, open: 0 },
      { id: 4, name: "Fanta", price: 199, cur: 1, open: 1 },
    ]);
    write(root, "menu", header(["id", "name"]), menu([[1, "Cola", 99]]));
    await run(root);
    expect(await rows()).toEqual([
      { id: 1, name: "Cola", price: 399, cur: 0, open: 0 },
      { id: 1, name: "Cola", price: 799, cur: 0, open: 0 },
      { id: 1, name: "Cola", price: 99, cur: 1, open: 1 },
      { id: 2, name: "Tea", price: 499, cur: 0, open: 0 },
      { id: 3, name: "Coffee", price: 599, cur: 0, open: 0 },
      { id: 4, name: "Fanta", price: 199, cur: 0, open: 0 },
    ]);
    // A closed version ends where the next one starts.
    expect(
      await target.rows(
        `SELECT o.price FROM ${ns}.menu AS o JOIN ${ns}.menu AS n ON n.id = o.id ` +
          `AND n._valid_from = o._valid_until WHERE ${flag("o._is_current")} = 0 ORDER BY o.price`,
      ),
    ).toEqual([{ price: 399 }, { price: 799 }]);
    // --full-refresh starts the history over.
    await run(root, { fullRefresh: true });
    expect(await rows()).toEqual([{ id: 1, name: "Cola", price: 99, cur: 1, open: 1 }]);
  });

  it("scd2_by_column with incremental_key: versions start and end at the key's time; a removed key ends at the run", async () => {
    const header = [
      "materialization: {type: table, strategy: scd2_by_column, incremental_key: updated_at}",
      "columns:",
      "  - {name: product_id, primary_key: true}",
      "  - {name: updated_at, type: timestamp}",
    ].join("\n");
    const products = (rows: [number, string, number, string][]) =>
      rows
        .map(
          ([id, name, price, at]) =>
            `SELECT ${id} AS product_id, '${name}' AS product_name, ${price} AS price, TIMESTAMP '${at}' AS updated_at`,
        )
        .join(" UNION ALL ");
    const rows = () =>
      target.rows(
        `SELECT product_id, price, ${flag("_is_current")} AS cur, ${text("_valid_from")} AS valid_from, ` +
          `${text("_valid_until")} AS valid_until FROM ${ns}.products_ik ORDER BY product_id, _valid_from`,
      );
    const root = pipeline();
    write(
      root,
      "products_ik",
      header,
      products([
        [1, "Laptop", 999, "2024-01-01 10:00:00"],
        [2, "Mouse", 29, "2024-01-15 10:00:00"],
        [3, "Keyboard", 79, "2024-01-15 10:00:00"],
      ]),
    );
    await run(root, { fullRefresh: true });
    write(
      root,
      "products_ik",
      header,
      products([
        [1, "Laptop", 1099, "2024-02-01 14:30:00"],
        [2, "Mouse", 29, "2024-01-15 10:00:00"],
        [3, "Keyboard", 79, "2024-01-15 10:00:00"],
      ]),
    );
    await run(root);
    write(
      root,
      "products_ik",
      header,
      products([
        [1, "Laptop", 1099, "2024-02-01 14:30:00"],
        [2, "Mouse", 29, "2024-01-15 10:00:00"],
        [4, "Monitor", 299, "2024-03-01 09:00:00"],
      ]),
    );
    const before = Date.now();
    await run(root);
    const result = await rows();
    const removed = result.find((r) => r.product_id === 3);
    expect(removed?.cur).toBe(0);
    // Ended at the run, not at a time of the source.
    expect(Date.parse(`${String(removed?.valid_until).replace(" ", "T")}Z`)).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000,
    );
    expect(result.filter((r) => r.product_id !== 3)).toEqual([
      { product_id: 1, price: 999, cur: 0, valid_from: "2024-01-01 10:00:00", valid_until: "2024-02-01 14:30:00" },
      { product_id: 1, price: 1099, cur: 1, valid_from: "2024-02-01 14:30:00", valid_until: "9999-12-31 00:00:00" },
      { product_id: 2, price: 29, cur: 1, valid_from: "2024-01-15 10:00:00", valid_until: "9999-12-31 00:00:00" },
      { product_id: 4, price: 299, cur: 1, valid_from: "2024-03-01 09:00:00", valid_until: "9999-12-31 00:00:00" },
    ]);
  });

  it("scd2_by_time: three runs of the reference's products (a later version, an earlier-dated row, removed keys)", async () => {
    const header = (keys: string[]) =>
      [
        "materialization: {type: table, strategy: scd2_by_time, incremental_key: dt}",
        "columns:",
        ...["product_id", "product_name"].map(
          (c) => `  - {name: ${c}${keys.includes(c) ? ", primary_key: true" : ""}}`,
        ),
        "  - {name: dt, type: DATE}",
      ].join("\n");
    const products = (rows: [number, string, number, string][]) =>
      rows
        .map(
          ([id, name, stock, dt]) =>
            `SELECT ${id} AS product_id, '${name}' AS product_name, ${stock} AS stock, DATE '${dt}' AS dt`,
        )
        .join(" UNION ALL ");
    const rows = () =>
      target.rows(
        `SELECT product_id, product_name, stock, ${flag("_is_current")} AS cur, ${text("_valid_from")} AS valid_from, ` +
          `${text("_valid_until")} AS valid_until FROM ${ns}.products ORDER BY product_id, _valid_from`,
      );
    const root = pipeline();
    write(
      root,
      "products",
      header(["product_id"]),
      products([
        [1, "Laptop", 100, "2025-04-02"],
        [2, "Smartphone", 150, "2025-04-02"],
        [3, "Headphones", 175, "2025-04-02"],
        [4, "Monitor", 25, "2025-04-02"],
      ]),
    );
    await run(root, { fullRefresh: true });
    write(
      root,
      "products",
      header(["product_id", "product_name"]),
      products([
        [1, "Laptop", 100, "2025-04-02"],
        [2, "Smartphone", 150, "2025-04-02"],
        [3, "Headphones", 900, "2025-06-02"],
        [5, "ps5", 25, "2025-06-02"],
      ]),
    );
    await run(root);
    const open = "9999-12-31 00:00:00";
    const second = await rows();
    expect(second.map(({ valid_until, ...r }) => ({ ...r, closed: valid_until !== open }))).toEqual([
      { product_id: 1, product_name: "Laptop", stock: 100, cur: 1, valid_from: "2025-04-02 00:00:00", closed: false },
      {
        product_id: 2,
        product_name: "Smartphone",
        stock: 150,
        cur: 1,
        valid_from: "2025-04-02 00:00:00",
        closed: false,
      },
      {
        product_id: 3,
        product_name: "Headphones",
        stock: 175,
        cur: 0,
        valid_from: "2025-04-02 00:00:00",
        closed: true,
      },
      {
        product_id: 3,
        product_name: "Headphones",
        stock: 900,
        cur: 1,
        valid_from: "2025-06-02 00:00:00",
        closed: false,
      },
      { product_id: 4, product_name: "Monitor", stock: 25, cur: 0, valid_from: "2025-04-02 00:00:00", closed: true },
      { product_id: 5, product_name: "ps5", stock: 25, cur: 1, valid_from: "2025-06-02 00:00:00", closed: false },
    ]);
    expect(second[2]?.valid_until).toBe("2025-06-02 00:00:00");
    // An earlier-dated row of a current key adds no version; the others are gone.
    write(
      root,
      "products",
      header(["product_id", "product_name"]),
      products([
        [3, "Headphones", 1200, "2025-06-10"],
        [5, "ps5", 30, "2025-05-01"],
      ]),
    );
    await run(root);
    expect((await rows()).map(({ product_id, stock, cur }) => [product_id, stock, cur])).toEqual([
      [1, 100, 0],
      [2, 150, 0],
      [3, 175, 0],
      [3, 900, 0],
      [3, 1200, 1],
      [4, 25, 0],
      [5, 25, 1],
    ]);
    expect((await rows())[3]?.valid_until).toBe("2025-06-10 00:00:00");
  });

  it("scd2: a query returning a reserved column fails, naming the asset and the column", async () => {
    const header =
      "materialization: {type: table, strategy: scd2_by_column}\ncolumns:\n  - {name: id, primary_key: true}";
    const root = pipeline();
    write(root, "reserved", header, "SELECT 1 AS id, 'a' AS v");
    await run(root);
    write(root, "reserved", header, "SELECT 1 AS id, 'a' AS v, 1 AS _is_current");
    const result = await runPipelineFolder(root, target.connect);
    expect(Object.values(statuses(result))).toEqual(["failed"]);
    expect(errorOf(result, `${ns}.reserved`)).toBe(
      `asset '${ns}.reserved': the query returns '_is_current', a column name SCD2 reserves`,
    );
  });

  it("ddl: creates the table from the columns (types, primary key) without running the query; a full refresh keeps it", async () => {
    const header = [
      "materialization: {type: table, strategy: ddl, partition_by: created, cluster_by: [id]}",
      "columns:",
      '  - {name: id, type: INTEGER, primary_key: true, description: "the product\'s id"}',
      "  - {name: name, type: VARCHAR(50), nullable: false}",
      "  - {name: created, type: DATE}",
    ].join("\n");
    const root = pipeline();
    writeTree(root, {
      "assets/t.sql": sqlAsset(`name: ${ns}.ddl_products\ntype: ${target.assetType}\n${header}`, ""),
    });
    await run(root);
    const columns = () =>
      target.rows(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = '${ns}' ` +
          `AND table_name = 'ddl_products' ORDER BY ordinal_position`,
      );
    expect(await columns()).toEqual([{ name: "id" }, { name: "name" }, { name: "created" }]);
    expect(await target.rows(`SELECT id FROM ${ns}.ddl_products`)).toEqual([]);
    await target.rows(`INSERT INTO ${ns}.ddl_products (id, name, created) VALUES (1, 'a', DATE '2024-01-01')`);
    // The primary key and NOT NULL are part of the table.
    await expect(target.rows(`INSERT INTO ${ns}.ddl_products (id, name) VALUES (1, 'b')`)).rejects.toThrow();
    await expect(target.rows(`INSERT INTO ${ns}.ddl_products (id, name) VALUES (2, NULL)`)).rejects.toThrow();
    // Neither another run nor a full refresh drops or empties it; a query after the header is not run.
    writeTree(root, {
      "assets/t.sql": sqlAsset(`name: ${ns}.ddl_products\ntype: ${target.assetType}\n${header}`, "SELECT broken"),
    });
    await run(root);
    await run(root, { fullRefresh: true });
    expect(await target.rows(`SELECT id, name FROM ${ns}.ddl_products`)).toEqual([{ id: 1, name: "a" }]);
  });

  it("merge with incremental_predicate: only target rows meeting it can match (others get a second row)", async () => {
    const header = [
      "materialization:",
      "  type: table",
      "  strategy: merge",
      "  incremental_predicate: target.day >= DATE '2024-02-01'",
      "columns:",
      "  - {name: id, primary_key: true}",
      "  - {name: name, update_on_merge: true}",
    ].join("\n");
    const rows = (values: [number, string, string][]) =>
      values
        .map(([id, name, day]) => `SELECT ${id} AS id, '${name}' AS name, DATE '${day}' AS day`)
        .join(" UNION ALL ");
    const root = pipeline();
    write(
      root,
      "predicate",
      header,
      rows([
        [1, "a", "2024-01-01"],
        [2, "b", "2024-03-01"],
      ]),
    );
    await run(root, { fullRefresh: true });
    write(
      root,
      "predicate",
      header,
      rows([
        [1, "A", "2024-03-05"],
        [2, "B", "2024-03-05"],
        [3, "C", "2024-03-05"],
      ]),
    );
    await run(root);
    expect(await target.rows(`SELECT id, name FROM ${ns}.predicate ORDER BY id, day`)).toEqual([
      { id: 1, name: "a" },
      { id: 1, name: "A" },
      { id: 2, name: "B" },
      { id: 3, name: "C" },
    ]);
  });

  it("full_refresh_restricted (and refresh_restricted): a full refresh runs the strategy instead of recreating the table", async () => {
    for (const [table, field] of [
      ["restricted", "full_refresh_restricted"],
      ["restricted_old", "refresh_restricted"],
    ] as const) {
      const header = `materialization: {type: table, strategy: append}\n${field}: true`;
      const root = pipeline();
      write(root, table, header, "SELECT 1 AS n");
      await run(root, { fullRefresh: true });
      write(root, table, header, "SELECT 2 AS n");
      await run(root, { fullRefresh: true });
      expect(await target.rows(`SELECT n FROM ${ns}.${table} ORDER BY n`)).toEqual([{ n: 1 }, { n: 2 }]);
      // Without it, the full refresh recreates the table.
      write(root, table, "materialization: {type: table, strategy: append}", "SELECT 3 AS n");
      await run(root, { fullRefresh: true });
      expect(await target.rows(`SELECT n FROM ${ns}.${table} ORDER BY n`)).toEqual([{ n: 3 }]);
    }
    // An SCD2 table keeps its history.
    const scd2 =
      "materialization: {type: table, strategy: scd2_by_column}\nfull_refresh_restricted: true\ncolumns:\n  - {name: id, primary_key: true}";
    const root = pipeline();
    write(root, "restricted_scd2", scd2, "SELECT 1 AS id, 'a' AS v");
    await run(root, { fullRefresh: true });
    write(root, "restricted_scd2", scd2, "SELECT 1 AS id, 'b' AS v");
    await run(root, { fullRefresh: true });
    expect(await target.rows(`SELECT v, ${flag("_is_current")} AS cur FROM ${ns}.restricted_scd2 ORDER BY v`)).toEqual([
      { v: "a", cur: 0 },
      { v: "b", cur: 1 },
    ]);
  });

  const hub = [
    "materialization: {type: table, strategy: datavault_hub}",
    "columns:",
    "  - {name: customer_hk, type: VARCHAR(20), primary_key: true}",
    "  - {name: customer_bk, type: VARCHAR(20)}",
    "  - {name: load_dts, type: TIMESTAMP}",
    "  - {name: record_source, type: VARCHAR(20)}",
    "  - {name: note, type: VARCHAR(20), nullable: false}",
  ].join("\n");
  const hubRow = (hk: string, day: string, note: string) =>
    `SELECT '${hk}' AS customer_hk, 'bk_${hk}' AS customer_bk, TIMESTAMP '${day} 00:00:00' AS load_dts, 'crm' AS record_source, '${note}' AS note`;

  if (target.dataVault) {
    it("Data Vault: roles by naming fallbacks; --full-refresh drops and reloads, full_refresh_restricted keeps the table", async () => {
      const root = pipeline();
      write(
        root,
        "dv_hub",
        hub,
        [hubRow("hk1", "2024-01-01", "a"), hubRow("hk2", "2024-01-01", "b")].join(" UNION ALL "),
      );
      await run(root);
      write(
        root,
        "dv_hub",
        hub,
        [hubRow("hk2", "2024-02-01", "B"), hubRow("hk3", "2024-02-01", "c")].join(" UNION ALL "),
      );
      await run(root);
      const rows = () => target.rows(`SELECT customer_hk, note FROM ${ns}.dv_hub ORDER BY customer_hk`);
      expect(await rows()).toEqual([
        { customer_hk: "hk1", note: "a" },
        { customer_hk: "hk2", note: "b" },
        { customer_hk: "hk3", note: "c" },
      ]);
      // A NULL in a column declared nullable: false fails the run (it is not a role column, so not skipped).
      write(root, "dv_hub", hub, hubRow("hk4", "2024-03-01", "x").replace("'x' AS note", "NULL AS note"));
      const failed = await runPipelineFolder(root, target.connect);
      expect(Object.values(statuses(failed))).toEqual(["failed"]);
      expect(await rows()).toHaveLength(3);
      write(root, "dv_hub", `${hub}\nfull_refresh_restricted: true`, hubRow("hk5", "2024-03-01", "e"));
      await run(root, { fullRefresh: true });
      expect(await rows()).toHaveLength(4);
      write(root, "dv_hub", hub, hubRow("hk2", "2024-03-01", "B"));
      await run(root, { fullRefresh: true });
      expect(await rows()).toEqual([{ customer_hk: "hk2", note: "B" }]);
    });
  } else {
    it("Data Vault: refused on this engine by run (incremental and full refresh) before anything is created", async () => {
      const root = pipeline();
      write(root, "dv_refused", hub, hubRow("hk1", "2024-01-01", "a"));
      for (const options of [{}, { fullRefresh: true }]) {
        const result = await runPipelineFolder(root, target.connect, options);
        expect(errorOf(result, `${ns}.dv_refused`)).toMatch(
          /^materialization strategy 'datavault_hub' is not supported on /,
        );
      }
      expect(
        await target.rows(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = '${ns}' AND table_name = 'dv_refused'`,
        ),
      ).toEqual([]);
    });
  }
}
