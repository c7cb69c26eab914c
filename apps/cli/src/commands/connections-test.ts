import { NotFoundError, Redactor, isSecretsError } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { Printer, type CliIO } from "../io.js";
import { openSession, reportFatal, type BackendFlags } from "../session.js";
import { toJson } from "../table.js";

export interface ConnectionsTestOptions extends BackendFlags {
  name?: string | undefined;
  output: string;
}

/**
 * `bruin connections test <name>`: resolves one connection through the chosen
 * backend, opens it and pings it, with the reference CLI's messages.
 */
export async function connectionsTestCommand(options: ConnectionsTestOptions, io: CliIO): Promise<number> {
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
      const report = (ok: boolean, message: string, code: number) => {
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
          const message =
            session.backend.id === "file"
              ? error.message
              : `connection '${name}' not found in secrets backend '${session.backend.id}': ${error.message}`;
          return report(false, message, error.exitCode);
        }
        if (isSecretsError(error))
          return report(false, `failed to test connection '${name}': ${error.describe()}`, error.exitCode);
        // A driver that is not installed is a setup problem (exit 2); any other failure to open, 1.
        const code = (error as { exitCode?: unknown }).exitCode;
        return report(
          false,
          `failed to test connection '${name}': ${errorText(error)}`,
          typeof code === "number" ? code : EXIT.failed,
        );
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

async function safeEnvironmentName(session: { environmentName(): Promise<string> }): Promise<string> {
  try {
    return await session.environmentName();
  } catch (error) {
    // The environment itself is wrong: that is the failure to report.
    if (isSecretsError(error)) throw error;
    return "default";
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
