import type { ConnectionAdapter } from "@bruin-ts/connections";
import { isRecord, readString, type Report } from "./asset-fields.js";
import { readTimeout } from "./code-assets/fields.js";
import { formatDuration } from "./code-assets/process.js";
import { platformOfAssetType } from "./engines/index.js";
import type { Asset } from "./model.js";
import { stripTrailingSemicolons } from "./names.js";
import { tableExists } from "./table-info.js";

/** How `run` treats sensors (`--sensor-mode`): not at all, one poke, or poking until met or timed out. */
export const SENSOR_MODES = ["skip", "once", "wait"] as const;
export type SensorMode = (typeof SENSOR_MODES)[number];

/** A sensor asset (`<platform>.sensor.query` or `<platform>.sensor.table`). */
export interface SensorSpec {
  /** `query`: met once the query's first value is true (or a non-zero number); `table`: once the table exists. */
  check: "query" | "table";
  /** The table a table sensor waits for. A query sensor's query is the asset's `query`. */
  table?: string;
  /** `parameters.poke_interval` (seconds; default 30), in milliseconds. */
  pokeIntervalMs: number;
  /** `parameters.timeout` or the asset's `timeout:`, in milliseconds: a sensor still unmet then fails. */
  timeoutMs?: number;
}

const DEFAULT_POKE_INTERVAL_MS = 30_000;
/** How long `wait` pokes when neither the sensor nor the asset sets a timeout. */
export const DEFAULT_SENSOR_TIMEOUT_MS = 24 * 3_600_000;

/** `<platform>.sensor.query` / `.sensor.table` → the check and the platform (that of `<platform>.sql`). */
export function sensorType(type: string): { check: SensorSpec["check"]; platform: string } | undefined {
  const match = /^(.+)\.sensor\.(query|table)$/.exec(type);
  if (!match) return undefined;
  return { check: match[2] as SensorSpec["check"], platform: platformOfAssetType(`${match[1]}.sql`) ?? "" };
}

/** Reads a sensor's `parameters:`; a query sensor's query becomes the asset's query. */
export function readSensor(
  check: SensorSpec["check"],
  raw: Record<string, unknown>,
  asset: Asset,
  report: Report,
): SensorSpec {
  const parameters = isRecord(raw.parameters) ? raw.parameters : {};
  if (raw.parameters !== undefined && raw.parameters !== null && !isRecord(raw.parameters))
    report("'parameters' must be a mapping");
  const spec: SensorSpec = { check, pokeIntervalMs: DEFAULT_POKE_INTERVAL_MS };
  if (check === "query") {
    const query = readString(parameters.query, "parameters.query", report)?.trim();
    if (query) asset.query = query;
    else report("a query sensor needs 'parameters.query'");
  } else {
    const table = readString(parameters.table, "parameters.table", report)?.trim();
    if (table) spec.table = table;
    else report("a table sensor needs 'parameters.table'");
  }
  if (parameters.poke_interval !== undefined && parameters.poke_interval !== null) {
    const poke = readTimeout(parameters.poke_interval, "parameters.poke_interval", report);
    if (poke !== undefined) spec.pokeIntervalMs = poke;
  }
  const timeoutMs = readTimeout(parameters.timeout, "parameters.timeout", report) ?? asset.timeoutMs;
  if (timeoutMs !== undefined) spec.timeoutMs = timeoutMs;
  return spec;
}

function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "bigint") return value !== 0n;
  const text = String(value).trim().toLowerCase();
  return text !== "" && text !== "0" && text !== "false" && text !== "f";
}

/** One poke: whether the sensor's condition holds now. */
async function poke(adapter: ConnectionAdapter, asset: Asset, spec: SensorSpec, query: string): Promise<boolean> {
  if (spec.check === "table") return tableExists(adapter, spec.table!);
  const result = await adapter.query(stripTrailingSemicolons(query));
  const row = result.rows[0];
  if (!row) return false;
  const key = result.columns[0] ?? Object.keys(row)[0];
  return key !== undefined && truthy(row[key]);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs a sensor as `mode` says: `skip` succeeds without poking, `once` pokes
 * once and fails when the condition does not hold, `wait` pokes every poke
 * interval until it holds, and fails when its timeout passes first.
 */
export async function runSensor(
  adapter: ConnectionAdapter,
  asset: Asset,
  renderedQuery: string,
  mode: SensorMode,
  signal?: AbortSignal,
): Promise<void> {
  const spec = asset.sensor;
  if (!spec) throw new Error(`asset '${asset.name}' is not a sensor`);
  if (mode === "skip") return;
  const what = spec.check === "table" ? `table '${spec.table}' does not exist` : "the query returned no true value";
  if (mode === "once") {
    if (await poke(adapter, asset, spec, renderedQuery)) return;
    throw new Error(`sensor '${asset.name}' is not met: ${what}`);
  }
  const timeoutMs = spec.timeoutMs ?? DEFAULT_SENSOR_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await poke(adapter, asset, spec, renderedQuery)) return;
    if (signal?.aborted) throw new Error(`sensor '${asset.name}' was cancelled`);
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`sensor '${asset.name}' timed out after ${formatDuration(timeoutMs)}: ${what}`);
    await sleep(Math.min(spec.pokeIntervalMs, left), signal);
  }
}
