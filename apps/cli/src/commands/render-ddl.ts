import { Redactor } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { intervalFrom } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { prepareRun } from "../prepare.js";
import { failureLines } from "../report.js";
import { materializedStatements } from "./render.js";

export interface RenderDdlOptions {
  path: string;
  vars?: string[] | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  /** `--apply-interval-modifiers`: render with the asset's interval_modifiers applied. */
  applyIntervalModifiers?: boolean | undefined;
  output: string;
  verbose?: boolean | undefined;
}

/**
 * `bruin render-ddl`: the statements that create a SQL asset's table from its
 * declared columns, as the `ddl` materialization strategy runs them, whatever
 * strategy the asset declares: the table with its column types, NOT NULL,
 * primary key and column descriptions. An asset without materialization
 * prints its rendered query unchanged; a view, or an asset that is not SQL,
 * is refused. Opens no connection.
 */
export async function renderDdlCommand(options: RenderDdlOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  const json = options.output === "json";
  try {
    if (!["plain", "json"].includes(options.output)) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
    }
    const interval = intervalFrom(options, io.env);
    const prepared = await prepareRun(
      { path: options.path, ...(options.vars ? { vars: options.vars } : {}) },
      io,
      interval,
    );
    const asset = prepared.selectedAsset;
    if (!asset) throw new UsageError(`'${options.path}' is a pipeline; give the path of one SQL asset file`);
    if (asset.unsupported) throw new Error(asset.unsupported);
    if (asset.code || asset.seed || asset.sensor) {
      throw new Error(`asset '${asset.name}' is a ${asset.type} asset: render-ddl renders SQL assets only`);
    }
    const { lib, pipeline, variables } = prepared;
    const assetInterval = lib.assetInterval(asset, {
      pipeline,
      interval,
      variables,
      fullRefresh: false,
      applyIntervalModifiers: options.applyIntervalModifiers === true,
    });
    const context = lib.templateContext({
      assetName: asset.name,
      pipelineName: pipeline.name,
      interval: assetInterval,
      variables,
    });
    const query = lib.renderQuery(asset, context);
    const m = asset.materialization;
    let text: string;
    if (!m) {
      text = query.trim();
    } else if (m.type !== "table") {
      throw new Error(
        `asset '${asset.name}': render-ddl renders tables; materialization type '${m.type}' is not supported (use materialization type 'table')`,
      );
    } else {
      const asDdl = { ...asset, materialization: { ...m, strategy: "ddl" } };
      text = await materializedStatements(lib, asDdl, query, false, assetInterval);
    }
    printer.out(json ? JSON.stringify({ query: text }) : text);
    return EXIT.ok;
  } catch (error) {
    const { lines, exitCode } = failureLines(error, options.verbose === true);
    if (json) printer.out(JSON.stringify({ error: lines.map((line) => line.replace(/^Error: /, "")).join("\n") }));
    else for (const line of lines) printer.err(line);
    return exitCode;
  }
}
