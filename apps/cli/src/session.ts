import type { SecretsBackend } from "@bruin-ts/secrets-core";
import { chooseBackend } from "./backends.js";
import { RunConnections } from "./connections.js";
import type { CliIO, Printer } from "./io.js";
import { failureLines } from "./report.js";

/** The flags every command that opens connections takes. */
export interface BackendFlags {
  secretsBackend?: string | undefined;
  environment?: string | undefined;
  configFile?: string | undefined;
  verbose: boolean;
}

export interface Session {
  backend: SecretsBackend;
  connections: RunConnections;
  /** Where connections come from, as a user would name it: an environment of .bruin.yml or of Infisical. */
  environmentName(): Promise<string>;
  /** The names the backend holds; an interruption (Ctrl-C) abandons the request and throws an InterruptedError (exit 130). */
  list(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Creates the chosen backend and the per-run connections around it. The
 * backend's module is imported only here, so a command never loads a backend
 * it does not use.
 */
export async function openSession(
  flags: BackendFlags,
  io: CliIO,
  printer: Printer,
  pipelineDir?: string,
  environment = flags.environment ?? io.env.BRUIN_ENVIRONMENT,
): Promise<Session> {
  const choice = chooseBackend(flags.secretsBackend, io.env);
  if (choice.overHttp) await io.prepareHttp?.();
  const backend = await choice.create({
    env: io.env,
    redactor: printer.redactor,
    cwd: io.cwd,
    environment,
    configFile: flags.configFile ?? io.env.BRUIN_CONFIG_FILE,
    pipelineDir: pipelineDir ?? io.cwd,
    debug: flags.verbose ? (message) => printer.err(message) : undefined,
    warn: (message) => warnOnce(printer, message),
  });
  // Ctrl-C or SIGTERM while connections are resolved abandons the requests in flight (see RunConnections).
  const connections = await RunConnections.create(backend, printer, io.signal);
  return {
    backend,
    connections,
    environmentName: async () => (await backend.environmentName?.()) ?? environment ?? "default",
    list: async () => {
      if (!backend.list) throw new Error(`the ${backend.id} backend cannot list its connections`);
      try {
        return await backend.list(io.signal);
      } catch (error) {
        if (io.signal?.aborted) throw connections.interrupted();
        throw error;
      }
    },
    close: async () => {
      await connections.closeAll();
      await backend.close?.();
    },
  };
}

const warned = new WeakMap<Printer, Set<string>>();

/** A backend warning, printed once per command even when the command opens several sessions (`connections list`). */
function warnOnce(printer: Printer, message: string): void {
  const seen = warned.get(printer) ?? new Set<string>();
  warned.set(printer, seen);
  if (seen.has(message)) return;
  seen.add(message);
  printer.err(`Warning: ${message}`);
}

/** Prints a failure that ends a command and returns its exit code. Every line is redacted by the printer. */
export function reportFatal(error: unknown, printer: Printer, verbose: boolean): number {
  const { lines, exitCode } = failureLines(error, verbose);
  for (const line of lines) printer.err(line);
  return exitCode;
}
