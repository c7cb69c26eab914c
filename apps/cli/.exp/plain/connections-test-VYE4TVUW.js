import {
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

// src/commands/connections-test.ts
import { NotFoundError, Redactor, isSecretsError } from "@bruin-ts/secrets-core";
async function connectionsTestCommand(options, io) {
  const printer = new Printer(io, new Redactor(), { color: false });
  const json = options.output === "json";
  try {
    if (!["plain", "json"].includes(options.output)) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
    }
    if (!options.name) throw new UsageError("pass the connection to test: bruin connections test <name>");
    const name = options.name;
    const session = await openSession(options, io, printer);
    try {
      const environment = await safeEnvironmentName(session);
      const report = (ok, message, code) => {
        if (json) printer.out(toJson({ connection: name, environment, backend: session.backend.id, ok, message }));
        else if (ok) printer.out(message);
        else printer.err(message);
        return code;
      };
      let adapter;
      try {
        adapter = await session.connections.open(name);
      } catch (error) {
        if (error instanceof NotFoundError) {
          const message = session.backend.id === "file" ? error.message : `connection '${name}' not found in secrets backend '${session.backend.id}': ${error.message}`;
          return report(false, message, error.exitCode);
        }
        if (isSecretsError(error)) return report(false, `failed to test connection '${name}': ${error.describe()}`, error.exitCode);
        return report(false, `failed to test connection '${name}': ${errorText(error)}`, EXIT.failed);
      }
      try {
        await adapter.ping();
      } catch (error) {
        return report(false, `failed to test connection '${name}': ${errorText(error)}`, EXIT.failed);
      }
      return report(true, `Successfully tested connection '${name}' in environment: ${environment}`, EXIT.ok);
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
async function safeEnvironmentName(session) {
  try {
    return await session.environmentName();
  } catch (error) {
    if (isSecretsError(error)) throw error;
    return "default";
  }
}
function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}
export {
  connectionsTestCommand
};
