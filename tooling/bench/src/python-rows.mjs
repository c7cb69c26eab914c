// Rows per second from a Python generator's materialize() into DuckDB and
// PostgreSQL, beside the same rows inserted by a plain Node script through
// the same driver (multi-row INSERTs of 1,000, and on PostgreSQL also one
// COPY, as bruin loads them). PostgreSQL is the local server the integration
// tests use (127.0.0.1:5432, database `test`); without it that row says so.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openConnection } from "@bruin-ts/connections";
import { buildTasks, loadPipeline, runPipeline } from "@bruin-ts/pipeline";
import { median } from "./stats.mjs";

const ROWS = 200_000;
const row = (i) => ({ id: i, name: `row ${i}`, value: i * 0.5 });

const SCRIPT = `"""@bruin
name: bench_rows
connection: db
materialization: {type: table}
@bruin"""
def materialize():
    for i in range(${ROWS}):
        yield {"id": i, "name": "row %d" % i, "value": i * 0.5}
`;

/** One run of the Python asset through runPipeline; rows per second. */
async function pythonRun(dir, connection) {
  const { pipeline } = await loadPipeline(dir);
  const opened = [];
  const started = performance.now();
  const result = await runPipeline({
    pipeline,
    tasks: buildTasks(pipeline, pipeline.assets),
    getConnection: async () => {
      const adapter = await openConnection(connection);
      opened.push(adapter);
      return adapter;
    },
    workers: 1,
    interval: { start: new Date(), end: new Date() },
    // The benchmark is the host: the Python process starts from its environment (PATH), as the CLI's does.
    code: { env: process.env },
  });
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(opened.map((adapter) => adapter.close()));
  if (!result.ok) throw new Error(`the Python asset failed: ${result.tasks[0]?.error}`);
  return ROWS / seconds;
}

/** The same rows from a Node loop, multi-row INSERTs through the adapter; rows per second. */
async function nodeRun(connection, table) {
  const adapter = await openConnection(connection);
  try {
    await adapter.exec(`DROP TABLE IF EXISTS ${table}`);
    const started = performance.now();
    await adapter.exec(`CREATE TABLE ${table} (id BIGINT, name TEXT, value DOUBLE PRECISION)`);
    for (let from = 0; from < ROWS; from += 1000) {
      const values = [];
      for (let i = from; i < Math.min(ROWS, from + 1000); i++) {
        const r = row(i);
        values.push(`(${r.id}, '${r.name}', ${r.value})`);
      }
      await adapter.exec(`INSERT INTO ${table} (id, name, value) VALUES ${values.join(", ")}`);
    }
    return ROWS / ((performance.now() - started) / 1000);
  } finally {
    await adapter.exec(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await adapter.close();
  }
}

/** The same rows from a Node loop as one COPY … FROM STDIN (CSV) through the adapter (PostgreSQL); rows per second. */
async function nodeCopyRun(connection, table) {
  const adapter = await openConnection(connection);
  try {
    await adapter.exec(`DROP TABLE IF EXISTS ${table}`);
    const started = performance.now();
    await adapter.exec(`CREATE TABLE ${table} (id BIGINT, name TEXT, value DOUBLE PRECISION)`);
    async function* csv() {
      for (let from = 0; from < ROWS; from += 1000) {
        let chunk = "";
        for (let i = from; i < Math.min(ROWS, from + 1000); i++) {
          const r = row(i);
          chunk += `${r.id},"${r.name}",${r.value}\n`;
        }
        yield chunk;
      }
    }
    await adapter.copyFrom(`COPY ${table} (id, name, value) FROM STDIN WITH (FORMAT csv)`, csv());
    return ROWS / ((performance.now() - started) / 1000);
  } finally {
    await adapter.exec(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await adapter.close();
  }
}

const rate = (perSecond) => `${Math.round(perSecond).toLocaleString("en-US")} rows/s`;

export async function benchPythonRows({ runs = 3 } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "bruin-bench-py-"));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(path.join(dir, "pipeline.yml"), "name: bench\n");
  writeFileSync(path.join(dir, "assets", "rows.py"), SCRIPT);
  const targets = [
    { name: "DuckDB", connection: { name: "db", type: "duckdb", details: { path: path.join(dir, "bench.duckdb") } } },
    {
      name: "PostgreSQL",
      connection: {
        name: "db",
        type: "postgres",
        details: { host: "127.0.0.1", port: 5432, username: "postgres", database: "test", ssl_mode: "disable" },
      },
    },
  ];
  const rows = [];
  try {
    for (const target of targets) {
      try {
        const probe = await openConnection(target.connection);
        await probe.ping();
        await probe.close();
      } catch (error) {
        rows.push({
          figure: `Python generator → ${target.name}`,
          value: `not measured: ${error.message.split("\n")[0]}`,
          target: "reported",
        });
        continue;
      }
      const python = [];
      const node = [];
      const nodeCopy = [];
      const copies = target.connection.type === "postgres";
      for (let run = 0; run < runs; run++) {
        python.push(await pythonRun(dir, target.connection));
        node.push(await nodeRun(target.connection, "bench_rows_node"));
        if (copies) nodeCopy.push(await nodeCopyRun(target.connection, "bench_rows_node"));
      }
      const cleanup = await openConnection(target.connection);
      await cleanup.exec("DROP TABLE IF EXISTS bench_rows").catch(() => undefined);
      await cleanup.close();
      rows.push({
        figure: `${ROWS.toLocaleString("en-US")} rows, Python generator → ${target.name}`,
        value:
          `${rate(median(python))} (plain Node INSERTs: ${rate(median(node))}` +
          (copies ? `; plain Node COPY: ${rate(median(nodeCopy))})` : ")"),
        target: "reported",
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
