import type { config as MSSQLConfig } from "mssql";
import { connectTimeoutMs, type OpenOptions } from "./open-options.js";

/**
 * Pure mapping from validated mssql details to an `mssql` (tedious) pool
 * configuration, testable without a server and without loading the driver.
 */

export interface MSSQLDetails {
  host: string;
  port: number;
  username: string;
  password?: string;
  database: string;
  /** Driver options: an object, a JSON object text, or `key=value` pairs split by `;` or `&`. */
  options?: string | Record<string, unknown>;
}

const POOL_SIZE = 10;

/**
 * Option names as written in SQL Server connection strings (any case, spaces
 * ignored) → tedious option names. Other names are passed on as given, so an
 * object may use any tedious option directly.
 */
const OPTION_NAMES: Record<string, string> = {
  encrypt: "encrypt",
  trustservercertificate: "trustServerCertificate",
  appname: "appName",
  applicationname: "appName",
  instancename: "instanceName",
  multisubnetfailover: "multiSubnetFailover",
  readonlyintent: "readOnlyIntent",
};

export function mssqlConfig(details: MSSQLDetails, options?: OpenOptions): MSSQLConfig {
  return {
    server: details.host,
    port: details.port,
    user: details.username,
    password: details.password,
    database: details.database,
    connectionTimeout: connectTimeoutMs(options),
    // Transformations may run for a long time; no statement timeout, as on the other engines.
    requestTimeout: 0,
    pool: { max: POOL_SIZE, min: 0 },
    options: { appName: "bruin", useUTC: true, ...mssqlDriverOptions(details.options) },
  };
}

/** The `options` field as tedious options; throws naming the field (never its text) when it cannot be read. */
export function mssqlDriverOptions(raw: MSSQLDetails["options"]): Record<string, unknown> {
  if (raw === undefined || raw === "") return {};
  const entries = typeof raw === "string" ? parseOptionsText(raw) : Object.entries(raw);
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const name = OPTION_NAMES[key.replace(/\s+/g, "").toLowerCase()] ?? key;
    result[name] = name === "encrypt" ? encryptValue(value) : plainOptionValue(value);
  }
  return result;
}

function parseOptionsText(text: string): [string, unknown][] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error("mssql 'options' is not a valid JSON object");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new Error("mssql 'options' is not a valid JSON object");
    }
    return Object.entries(parsed as Record<string, unknown>);
  }
  return trimmed
    .split(/[;&]/)
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error("mssql 'options' must be key=value pairs separated by ';' or '&'");
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    });
}

/** "true"/"false"/"yes"/"no" → boolean, digits → number, anything else as given. */
function plainOptionValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const lowered = value.toLowerCase();
  if (lowered === "true" || lowered === "yes") return true;
  if (lowered === "false" || lowered === "no") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Connection-string spellings of `encrypt` (disable/optional/mandatory/strict) → tedious's boolean or 'strict'. */
function encryptValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  switch (value.toLowerCase()) {
    case "disable":
    case "optional":
      return false;
    case "mandatory":
      return true;
    case "strict":
      return "strict";
    default:
      return plainOptionValue(value);
  }
}
