import {
  renderTable,
  toJson
} from "./chunk-7YWU7CID.js";
import {
  Printer,
  openSession,
  reportFatal
} from "./chunk-BE5S5HKE.js";
import {
  EXIT,
  UsageError
} from "./chunk-EBIUNHAN.js";

// src/commands/connections-list.ts
import { Redactor } from "@bruin-ts/secrets-core";
async function connectionsListCommand(options, io) {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    if (!["plain", "json"].includes(options.output)) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
    }
    const environments = await environmentsToList(options, io, printer);
    const listings = [];
    for (const environment of environments) listings.push(await listEnvironment(options, io, printer, environment));
    if (options.output === "json") printer.out(toJson({ environments: listings }));
    else printPlain(listings, printer);
    return EXIT.ok;
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
async function environmentsToList(options, io, printer) {
  if (options.environment) return [options.environment];
  const session = await openSession(options, io, printer);
  try {
    const all = session.backend.environments;
    return all ? await all.call(session.backend) : [void 0];
  } finally {
    await session.close();
  }
}
async function listEnvironment(options, io, printer, environment) {
  const session = await openSession(options, io, printer, void 0, environment);
  try {
    if (!session.backend.list) {
      throw new UsageError(`the ${session.backend.id} backend cannot list its connections`);
    }
    const names = (await session.backend.list()).sort((a, b) => a.localeCompare(b));
    const failures = /* @__PURE__ */ new Map();
    for (const failure of await session.connections.resolveAll(names)) {
      if (failure.connection) failures.set(failure.connection, failure);
    }
    const { filledFields } = await import("@bruin-ts/connections");
    const listing = { environment: await session.environmentName(), connections: [], invalid: [] };
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
function printPlain(listings, printer) {
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
export {
  connectionsListCommand
};
