import { Redactor, isSecretsError } from "@bruin-ts/secrets-core";
import { EXIT } from "../errors.js";
import { intervalFrom } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { missingDriverProblems, pipelineProblems, prepareRun } from "../prepare.js";
import { openSession, reportFatal, type BackendFlags } from "../session.js";

export interface ValidateCommandOptions extends BackendFlags {
  path: string;
  vars?: string[] | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
}

/**
 * `bruin validate`: everything `run` checks before it starts — asset types,
 * dependencies, cycles, materializations, templates, variables, and every
 * connection through the chosen backend — without opening a database.
 */
export async function validateCommand(options: ValidateCommandOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    const interval = intervalFrom(options, io.env);
    // The same preparation and checks as `bruin run` (prepare.ts), so the two cannot drift apart.
    const prepared = await prepareRun(options, io, interval);
    const { pipeline, assets } = prepared;
    const session = await openSession(options, io, printer, pipeline.dir);
    // A connection the backend cannot provide is a configuration (2) or secrets backend (3) failure, as in
    // `run`; a problem of the pipeline itself (1) comes first, as `run` checks the pipeline first.
    let backendExit: number = EXIT.ok;
    const backendMessages: string[] = [];
    try {
      const resolveConnection = async (name: string) => {
        try {
          const connection = await session.connections.resolve(name);
          // A driver package that is not installed: a setup problem (exit 2), as `run` reports it.
          const [missing] = await missingDriverProblems([connection]);
          if (missing !== undefined) {
            backendExit = Math.max(backendExit, EXIT.usage);
            backendMessages.push(missing);
            throw new Error(missing);
          }
          return connection;
        } catch (error) {
          // A backend error says which connection and why, in one line, without values.
          const message = isSecretsError(error) ? error.describe() : String((error as Error).message ?? error);
          if (isSecretsError(error)) {
            backendExit = Math.max(backendExit, error.exitCode);
            backendMessages.push(message);
          }
          throw new Error(message);
        }
      };
      const issues = await pipelineProblems(prepared, resolveConnection);
      // The connections code assets ask for in `secrets:` are resolved too, as `run` resolves them.
      const assetConnections = new Set(prepared.lib.connectionNames(assets));
      for (const name of prepared.connectionNames.filter((name) => !assetConnections.has(name))) {
        await resolveConnection(name).catch((error: Error) =>
          issues.push(`connection '${name}' (asked for in secrets:): ${error.message}`),
        );
      }
      // Ctrl-C while connections were resolved: exit 130, not a list of "interrupted" problems.
      session.connections.throwIfInterrupted();
      if (issues.length === 0) {
        printer.out(
          `✓ Successfully validated ${assets.length} asset${assets.length === 1 ? "" : "s"} across 1 pipeline, all good.`,
        );
        return EXIT.ok;
      }
      printer.out(`✗ Found ${issues.length} problem${issues.length === 1 ? "" : "s"} in pipeline '${pipeline.name}':`);
      for (const issue of issues) printer.out(`  - ${issue}`);
      const onlyBackend = issues.every((issue) => backendMessages.some((message) => issue.includes(message)));
      return backendExit !== EXIT.ok && onlyBackend ? backendExit : EXIT.failed;
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
