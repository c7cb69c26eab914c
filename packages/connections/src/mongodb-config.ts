import type { MongoClientOptions } from "mongodb";
import { connectTimeoutMs, type OpenOptions } from "./open-options.js";

/**
 * Pure mappings for the mongodb adapter: the connection string built from
 * validated details, the client options, and the reading of the JSON command
 * documents the adapter accepts in place of SQL.
 */

export interface MongoDetails {
  host: string;
  port: number;
  username?: string;
  password?: string;
  database?: string;
}

/**
 * `mongodb://user:password@host:port/database`, credentials percent-encoded
 * (a `@`, `:` or `/` in a password must not end up as URI syntax). As in any
 * MongoDB URI, the database in the path is also the one the user
 * authenticates against.
 */
export function mongoUri(details: MongoDetails): string {
  const credentials = details.username
    ? `${encodeURIComponent(details.username)}${details.password ? `:${encodeURIComponent(details.password)}` : ""}@`
    : "";
  // An IPv6 literal needs brackets to be told apart from the port.
  const host = details.host.includes(":") && !details.host.startsWith("[") ? `[${details.host}]` : details.host;
  const database = details.database ? encodeURIComponent(details.database) : "";
  return `mongodb://${credentials}${host}:${details.port}/${database}`;
}

export function mongoClientOptions(options?: OpenOptions): MongoClientOptions {
  const timeout = connectTimeoutMs(options);
  return {
    // Without these an unreachable server makes every operation wait 30 s per attempt.
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    appName: "bruin",
  };
}

/** A command the adapter runs: a `find` or `aggregate` on a collection, or any `db.command()` document. */
export type MongoCommand =
  | { kind: "find"; collection: string; filter: Record<string, unknown>; options: Record<string, unknown> }
  | { kind: "aggregate"; collection: string; pipeline: Record<string, unknown>[] }
  | { kind: "command"; document: Record<string, unknown> };

const FIND_OPTIONS = ["projection", "sort", "limit", "skip"] as const;

/**
 * Reads one JSON command document: `{"find": "users", "filter": {...},
 * "projection": {...}, "sort": {...}, "limit": 10, "skip": 0}`,
 * `{"aggregate": "users", "pipeline": [...]}`, or any other document, which
 * is sent to `db.command()` as it is (`{"ping": 1}`, `{"count": "users"}`).
 */
export function parseMongoCommand(text: string): MongoCommand {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(
      'mongodb connections take a JSON command document instead of SQL, e.g. {"find": "users", "filter": {}} or {"ping": 1}',
    );
  }
  if (!isRecord(document) || Object.keys(document).length === 0) {
    throw new Error('a mongodb command must be a non-empty JSON object, e.g. {"find": "users", "filter": {}}');
  }
  if (typeof document.find === "string") {
    const filter = document.filter ?? {};
    if (!isRecord(filter)) throw new Error("the 'filter' of a find command must be an object");
    const options: Record<string, unknown> = {};
    for (const key of FIND_OPTIONS) if (document[key] !== undefined) options[key] = document[key];
    return { kind: "find", collection: document.find, filter, options };
  }
  if (typeof document.aggregate === "string" && Array.isArray(document.pipeline)) {
    if (!document.pipeline.every(isRecord))
      throw new Error("the 'pipeline' of an aggregate command must be a list of objects");
    return { kind: "aggregate", collection: document.aggregate, pipeline: document.pipeline };
  }
  return { kind: "command", document };
}

/** `exec` also takes a JSON list of command documents, run in order. */
export function parseMongoCommands(text: string): MongoCommand[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    let list: unknown;
    try {
      list = JSON.parse(trimmed);
    } catch {
      throw new Error("a list of mongodb commands must be a JSON array of command documents");
    }
    if (!Array.isArray(list)) throw new Error("a list of mongodb commands must be a JSON array of command documents");
    return list.map((item) => parseMongoCommand(JSON.stringify(item)));
  }
  return [parseMongoCommand(trimmed)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
