import {
  resolveInterval
} from "./chunk-WGXVX7CK.js";
import {
  Printer,
  openSession,
  reportFatal
} from "./chunk-BE5S5HKE.js";
import {
  EXIT
} from "./chunk-EBIUNHAN.js";

// src/commands/validate.ts
import path from "node:path";
import { Redactor, isSecretsError } from "@bruin-ts/secrets-core";
async function validateCommand(options, io) {
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
            throw new Error(isSecretsError(error) ? error.describe() : String(error.message ?? error));
          }
        }
      });
      if (issues.length === 0) {
        printer.out(`\u2713 Successfully validated ${assets.length} assets across 1 pipeline, all good.`);
        return EXIT.ok;
      }
      printer.out(`\u2717 Found ${issues.length} problem${issues.length === 1 ? "" : "s"} in pipeline '${pipeline.name}':`);
      for (const issue of issues) printer.out(`  - ${issue}`);
      return EXIT.failed;
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
export {
  validateCommand
};
