import type { Column, ColumnCheck, CustomCheck, ForeignKey, Materialization } from "./model.js";

/**
 * Readers for the fields of an asset header. Each takes the raw YAML value and
 * a `report` callback, reports every problem it sees and returns what it could
 * make of the value, so one pass finds all problems of a file.
 */
export type Report = (message: string) => void;

export const COLUMN_CHECK_NAMES = [
  "not_null",
  "unique",
  "positive",
  "negative",
  "non_negative",
  "min",
  "max",
  "accepted_values",
  "pattern",
] as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readString(value: unknown, field: string, report: Report): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  report(`'${field}' must be a string`);
  return undefined;
}

/**
 * A `start_date` (of pipeline.yml or an asset): `YYYY-MM-DD`, a real day, as
 * the reference requires; anything else is reported with the reference's
 * message. YAML may have read an unquoted date as a Date.
 */
export function readStartDate(value: unknown, where: "pipeline" | "asset", report: Report): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim();
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = parts ? new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))) : undefined;
  if (!day || day.toISOString().slice(0, 10) !== text) {
    report(`start_date must be in the format of YYYY-MM-DD in the ${where} definition, '${text}' given`);
    return undefined;
  }
  return text;
}

export function readStringList(value: unknown, field: string, report: Report): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  report(`'${field}' must be a list of strings`);
  return [];
}

function readBoolean(value: unknown, field: string, fallback: boolean, report: Report): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "boolean") return value;
  report(`'${field}' must be true or false`);
  return fallback;
}

/**
 * `depends`: a name, a list of names, or `{asset: name, mode?}` items (`{uri: ...}`
 * items are external and ignored). Items with `mode: symbolic` are lineage only:
 * they are left out here (see `readSymbolicDepends`), so nothing waits for them.
 */
export function readDepends(value: unknown, report: Report): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const item of items) {
    if (typeof item === "string" && item.trim() !== "") names.push(item.trim());
    else if (isRecord(item) && typeof item.asset === "string") {
      if (item.mode !== undefined && item.mode !== null && item.mode !== "full" && item.mode !== "symbolic")
        report(`'depends': mode of '${item.asset}' must be 'full' or 'symbolic'`);
      if (item.mode !== "symbolic") names.push(item.asset.trim());
    } else if (isRecord(item) && typeof item.uri === "string") continue;
    else report("'depends' items must be asset names or {asset: <name>}");
  }
  return [...new Set(names)];
}

/** The `depends` items with `mode: symbolic`: upstreams shown in lineage that the asset does not wait for. */
export function readSymbolicDepends(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  const names = items
    .filter(
      (item): item is { asset: string } => isRecord(item) && item.mode === "symbolic" && typeof item.asset === "string",
    )
    .map((item) => item.asset.trim());
  return [...new Set(names)];
}

export function readMaterialization(value: unknown, report: Report): Materialization | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    report("'materialization' must be a mapping like {type: table}");
    return undefined;
  }
  const type = readString(value.type, "materialization.type", report);
  if (type === undefined || type === "" || type === "none") return undefined;
  if (type !== "view" && type !== "table") {
    report(`unknown materialization type '${type}'; use 'view' or 'table'`);
    return undefined;
  }
  const strategy = readString(value.strategy, "materialization.strategy", report);
  if (type === "view" && strategy) report("a view materialization takes no 'strategy'");
  const incrementalKey = readString(value.incremental_key, "materialization.incremental_key", report);
  const timeGranularity = readString(value.time_granularity, "materialization.time_granularity", report)?.trim();
  const partitionBy = readString(value.partition_by, "materialization.partition_by", report)?.trim();
  const clusterBy = readStringList(value.cluster_by, "materialization.cluster_by", report);
  const predicate = readString(value.incremental_predicate, "materialization.incremental_predicate", report)?.trim();
  return {
    type,
    ...(type === "table" ? { strategy: strategy || "create+replace" } : {}),
    ...(incrementalKey ? { incrementalKey } : {}),
    ...(timeGranularity ? { timeGranularity } : {}),
    ...(partitionBy ? { partitionBy } : {}),
    ...(clusterBy.length > 0 ? { clusterBy } : {}),
    ...(predicate ? { incrementalPredicate: predicate.replace(/;+\s*$/, "") } : {}),
  };
}

/** `full_refresh_restricted`, or its older name `refresh_restricted`; undefined when neither is given. */
export function readFullRefreshRestricted(raw: Record<string, unknown>, report: Report): boolean | undefined {
  const field = raw.full_refresh_restricted !== undefined ? "full_refresh_restricted" : "refresh_restricted";
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  return readBoolean(value, field, false, report);
}

/** The column check that looks each value up in the column's `foreign_key`; plain SQL, so every engine runs it. */
export const RELATIONSHIPS_CHECK = "relationships";

function readForeignKey(value: unknown, where: string, report: Report): ForeignKey | undefined {
  if (value === undefined || value === null) return undefined;
  const table = isRecord(value) && typeof value.table === "string" ? value.table.trim() : "";
  const column = isRecord(value) && typeof value.column === "string" ? value.column.trim() : "";
  if (!table || !column) {
    report(`${where}: 'foreign_key' must be {table: <asset name>, column: <column name>}`);
    return undefined;
  }
  return { table, column };
}

function readColumnCheck(raw: unknown, where: string, report: Report): ColumnCheck | undefined {
  const entry = typeof raw === "string" ? { name: raw } : raw;
  if (!isRecord(entry) || typeof entry.name !== "string") {
    report(`${where}: each check needs a 'name'`);
    return undefined;
  }
  const name = entry.name;
  const at = `${where}, check '${name}'`;
  if (!(COLUMN_CHECK_NAMES as readonly string[]).includes(name) && name !== RELATIONSHIPS_CHECK) {
    report(
      `${where}: unknown check '${name}'; known checks: ${[...COLUMN_CHECK_NAMES, RELATIONSHIPS_CHECK].join(", ")}`,
    );
    return undefined;
  }
  const value = entry.value;
  if ((name === "min" || name === "max") && typeof value !== "number") report(`${at}: 'value' must be a number`);
  if (name === "pattern" && (typeof value !== "string" || value === ""))
    report(`${at}: 'value' must be a regular expression`);
  if (name === "accepted_values") {
    const ok =
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((v) => ["string", "number", "boolean"].includes(typeof v));
    if (!ok) report(`${at}: 'value' must be a non-empty list of values`);
  }
  return {
    name,
    ...(value !== undefined ? { value } : {}),
    blocking: readBoolean(entry.blocking, `${at}: blocking`, true, report),
  };
}

export function readColumns(value: unknown, report: Report): Column[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report("'columns' must be a list");
    return [];
  }
  const columns: Column[] = [];
  for (const raw of value) {
    if (!isRecord(raw) || typeof raw.name !== "string" || raw.name === "") {
      report("each column needs a 'name'");
      continue;
    }
    const where = `column '${raw.name}'`;
    const checksRaw = raw.checks ?? [];
    if (!Array.isArray(checksRaw)) report(`${where}: 'checks' must be a list`);
    const checks = (Array.isArray(checksRaw) ? checksRaw : [])
      .map((c) => readColumnCheck(c, where, report))
      .filter((c): c is ColumnCheck => c !== undefined);
    const type = readString(raw.type, `${where}: type`, report);
    const description = readString(raw.description, `${where}: description`, report);
    const mergeSql = readString(raw.merge_sql, `${where}: merge_sql`, report)?.trim();
    const meta = raw.meta;
    if (meta !== undefined && meta !== null && !isRecord(meta)) report(`${where}: 'meta' must be a mapping`);
    const role = isRecord(meta) ? readString(meta.datavault_role, `${where}: meta.datavault_role`, report)?.trim() : "";
    const nullable =
      raw.nullable === undefined ? undefined : readBoolean(raw.nullable, `${where}: nullable`, true, report);
    const foreignKey = readForeignKey(raw.foreign_key, where, report);
    if (!foreignKey && raw.foreign_key === undefined && checks.some((c) => c.name === RELATIONSHIPS_CHECK))
      report(`${where}: the '${RELATIONSHIPS_CHECK}' check needs 'foreign_key: {table, column}' on the column`);
    columns.push({
      name: raw.name,
      ...(type !== undefined ? { type } : {}),
      ...(description !== undefined ? { description } : {}),
      primaryKey: readBoolean(raw.primary_key, `${where}: primary_key`, false, report),
      updateOnMerge: readBoolean(raw.update_on_merge, `${where}: update_on_merge`, false, report),
      ...(mergeSql ? { mergeSql } : {}),
      ...(foreignKey ? { foreignKey } : {}),
      ...(nullable !== undefined ? { nullable } : {}),
      ...(role ? { datavaultRole: role } : {}),
      checks,
    });
  }
  return columns;
}

export function readCustomChecks(value: unknown, report: Report): CustomCheck[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report("'custom_checks' must be a list");
    return [];
  }
  const checks: CustomCheck[] = [];
  for (const raw of value) {
    if (!isRecord(raw) || typeof raw.name !== "string" || raw.name.trim() === "") {
      report("each custom check needs a 'name'");
      continue;
    }
    const where = `custom check '${raw.name}'`;
    if (typeof raw.query !== "string" || raw.query.trim() === "") {
      report(`${where}: 'query' is required`);
      continue;
    }
    let expected = 0;
    if (typeof raw.value === "number") expected = raw.value;
    else if (typeof raw.value === "boolean") expected = raw.value ? 1 : 0;
    else if (raw.value !== undefined && raw.value !== null) report(`${where}: 'value' must be a number`);
    const description = readString(raw.description, `${where}: description`, report);
    // With `count`, `value` is not compared (the reference's own pipelines give both).
    const count = readCount(raw.count, where, report);
    checks.push({
      name: raw.name,
      query: raw.query,
      value: expected,
      ...(count !== undefined ? { count } : {}),
      blocking: readBoolean(raw.blocking, `${where}: blocking`, true, report),
      ...(description !== undefined ? { description } : {}),
    });
  }
  return checks;
}

/** `count:` of a custom check: a whole number of rows, 0 or more. */
function readCount(value: unknown, where: string, report: Report): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  report(`${where}: 'count' must be a whole number of rows (0 or more)`);
  return undefined;
}
