import path from "node:path";
import { Redactor, isSecretsError } from "@bruin-ts/secrets-core";
import { EXIT } from "../errors.js";
import { resolveInterval } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { openSession, reportFatal, type BackendFlags } from "../session.js";

export interface ValidateCommandOptions extends BackendFlags {
  path: string;
  vars?: string[];
  startDate?: string;
  endDate?: string;
}

/**
 * `bruin validate`: everything `run` checks before it starts — asset types,
 * dependencies, cycles, materializations, templates, variables, and every
 * connection through the chosen backend — without opening a database.
 */
export async function validateCommand(options: ValidateCommandOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    const interval = resolveInterval(options.startDate ?? io.env.BRUIN_START_DATE, options.endDate ?? io.env.BRUIN_END_DATE);
    const lib = await import("@bruin-ts/pipeline");
    const { pipeline, selectedAsset } = await lib.loadPipeline(path.resolve(io.cwd, options.path));
    const variables = lib.parseVarFlags(options.vars ?? [], io.env.BRUIN_VARS);
    const assets = selectedAsset ? [selectedAsset] : pipeline.assets;
    const session = await openSession(options, io, printer, pipeline.dir);
    try {
      const { issues } = await lib.validatePipeline(pipeline, assets, {
        variables,
        interval,
        resolveConnection: async (name) => {
          try {
            return await session.connections.resolve(name);
          } catch (error) {
            // A backend error says which connection and why, in one line, without values.
            throw new Error(isSecretsError(error) ? error.describe() : String((error as Error).message ?? error));
          }
        },
      });
      if (issues.length === 0) {
        printer.out(`✓ Successfully validated ${assets.length} assets across 1 pipeline, all good.`);
        return EXIT.ok;
      }
      printer.out(`✗ Found ${issues.length} problem${issues.length === 1 ? "" : "s"} in pipeline '${pipeline.name}':`);
      for (const issue of issues) printer.out(`  - ${issue}`);
      return EXIT.failed;
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
