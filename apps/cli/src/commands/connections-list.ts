import { stat } from "node:fs/promises";
import path from "node:path";
import { Redactor, type SecretsError } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { Printer, type CliIO } from "../io.js";
import { openSession, reportFatal, type BackendFlags } from "../session.js";
import { renderTable, toJson } from "../table.js";

export interface ConnectionsListOptions extends BackendFlags {
  output: string;
  /** A folder or file the config is looked for from, as `run` looks from its pipeline (default: the working directory). */
  path?: string | undefined;
}

/** The folder the file backend walks up from to find `.bruin.yml`: the path's, or its folder for a file. */
async function searchDir(options: ConnectionsListOptions, io: CliIO): Promise<string | undefined> {
  if (options.path === undefined) return undefined;
  const target = path.resolve(io.cwd, options.path);
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new UsageError(`path '${options.path}' does not exist`);
  return info.isDirectory() ? target : path.dirname(target);
}

interface EnvironmentListing {
  environment: string;
  connections: Array<{ name: string; type: string; filled_fields: string[] }>;
  invalid: Array<{ name: string; reason: string }>;
}

/**
 * `bruin connections list`: the connections a backend holds, with their type
 * and which fields are filled, never a value. For the file backend, one table
 * per environment; for others, the environment they read from. Entries that
 * are not valid connections are listed with the reason.
 */
export async function connectionsListCommand(options: ConnectionsListOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    if (!["plain", "json"].includes(options.output)) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
    }
    const dir = await searchDir(options, io);
    const environments = await environmentsToList(options, io, printer, dir);
    const listings: EnvironmentListing[] = [];
    for (const environment of environments) {
      listings.push(await listEnvironment(options, io, printer, environment, dir));
    }
    if (options.output === "json") printer.out(toJson({ environments: listings }));
    else printPlain(listings, printer);
    return EXIT.ok;
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}

async function environmentsToList(
  options: ConnectionsListOptions,
  io: CliIO,
  printer: Printer,
  dir: string | undefined,
): Promise<Array<string | undefined>> {
  if (options.environment) return [options.environment];
  const session = await openSession(options, io, printer, dir);
  try {
    const all = (session.backend as { environments?: () => Promise<string[]> }).environments;
    const names = all ? await all.call(session.backend) : [];
    // No environment to list (no config file, or one without environments): listing the
    // default one reports why, as every other command does, instead of printing nothing.
    return names.length > 0 ? names : [undefined];
  } finally {
    await session.close();
  }
}

async function listEnvironment(
  options: ConnectionsListOptions,
  io: CliIO,
  printer: Printer,
  environment: string | undefined,
  dir: string | undefined,
): Promise<EnvironmentListing> {
  const session = await openSession(options, io, printer, dir, environment);
  try {
    if (!session.backend.list) {
      throw new UsageError(`the ${session.backend.id} backend cannot list its connections`);
    }
    const names = (await session.list()).sort((a, b) => a.localeCompare(b));
    const failures = new Map<string, SecretsError>();
    for (const failure of await session.connections.resolveAll(names)) {
      if (failure.connection) failures.set(failure.connection, failure);
    }
    const { filledFields } = await import("@bruin-ts/connections");
    const listing: EnvironmentListing = { environment: await session.environmentName(), connections: [], invalid: [] };
    for (const name of names) {
      const failure = failures.get(name);
      if (failure) {
        listing.invalid.push({ name, reason: failure.message });
        continue;
      }
      const connection = await session.connections.resolve(name);
      listing.connections.push({ name, type: connection.type, filled_fields: filledFields(connection) });
    }
    return listing;
  } finally {
    await session.close();
  }
}

function printPlain(listings: EnvironmentListing[], printer: Printer): void {
  for (const listing of listings) {
    printer.out(`Environment: ${listing.environment}`);
    if (listing.connections.length === 0) printer.out("  (no connections)");
    else {
      const rows = listing.connections.map((c) => [c.type, c.name, c.filled_fields.join(", ")]);
      printer.out(renderTable(["Type", "Name", "Filled Fields"], rows));
    }
    if (listing.invalid.length > 0) {
      printer.out("Not valid connections:");
      for (const entry of listing.invalid) printer.out(`  - ${entry.name}: ${entry.reason}`);
    }
    printer.out();
  }
}
