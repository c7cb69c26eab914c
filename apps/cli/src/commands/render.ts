import type { Asset } from "@bruin-ts/pipeline";
import type { ConnectionAdapter, ConnectionType, QueryResult } from "@bruin-ts/connections";
import { Redactor } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { provisionalInterval, startDateInterval, startsAtStartDates } from "../full-refresh-interval.js";
import { Printer, type CliIO } from "../io.js";
import { prepareRun } from "../prepare.js";
import { failureLines } from "../report.js";
import type { BackendFlags } from "../session.js";

export interface RenderOptions extends BackendFlags {
  path: string;
  vars?: string[] | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  fullRefresh?: boolean | undefined;
  rawQuery?: boolean | undefined;
  /** `--apply-interval-modifiers`: render with the asset's interval_modifiers applied (not with --full-refresh). */
  applyIntervalModifiers?: boolean | undefined;
  output: string;
}

/**
 * `bruin render`: an asset's query rendered with the context `run` gives it
 * (interval, variables and `--var`, `this`), then, unless `--raw-query`, the
 * statements `run` would execute for its materialization. Opens no backend
 * and no database: rendering needs no credentials, so none can be printed.
 */
export async function renderCommand(options: RenderOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  const json = options.output === "json";
  try {
    if (!["plain", "json"].includes(options.output)) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
    }
    const fromStartDates = startsAtStartDates(options, io.env);
    const provisional = provisionalInterval(options, io.env);
    const prepared = await prepareRun(
      { path: options.path, ...(options.vars ? { vars: options.vars } : {}) },
      io,
      provisional,
    );
    const interval = fromStartDates ? startDateInterval(options, io.env, prepared.pipeline.startDate) : provisional;
    const asset = prepared.selectedAsset;
    if (!asset) throw new UsageError(`'${options.path}' is a pipeline; give the path of one asset file to render`);
    if (asset.unsupported) throw new Error(asset.unsupported);
    if (asset.code) {
      throw new Error(
        `asset '${asset.name}' is a ${asset.code.language} asset: only SQL assets have a query to render`,
      );
    }
    if (asset.seed) throw new Error(`asset '${asset.name}' is a seed: it loads a CSV file and has no query to render`);
    if (asset.sensor?.check === "table")
      throw new Error(`asset '${asset.name}' is a table sensor: it waits for a table and has no query to render`);
    const { lib, pipeline, variables } = prepared;
    const assetInterval = lib.assetInterval(asset, {
      pipeline,
      interval,
      variables,
      fullRefresh: options.fullRefresh === true,
      applyIntervalModifiers: options.applyIntervalModifiers === true,
      fullRefreshFromStartDate: fromStartDates,
    });
    const context = lib.templateContext({
      assetName: asset.name,
      pipelineName: pipeline.name,
      interval: assetInterval,
      variables,
      fullRefresh: options.fullRefresh,
    });
    const query = lib.renderQuery(asset, context);
    const text = options.rawQuery
      ? query.trim()
      : await materializedStatements(lib, asset, query, options.fullRefresh === true, assetInterval);
    printer.out(json ? JSON.stringify({ query: text }) : text);
    return EXIT.ok;
  } catch (error) {
    const { lines, exitCode } = failureLines(error, options.verbose);
    if (json) printer.out(JSON.stringify({ error: lines.map((line) => line.replace(/^Error: /, "")).join("\n") }));
    else for (const line of lines) printer.err(line);
    return exitCode;
  }
}

/**
 * The statements `run` executes for the asset, in order: the run's own
 * materialization code driven against a connection that records what it is
 * given instead of executing it. It answers as a database where the table
 * already exists (so an incremental strategy shows its incremental
 * statements; `--full-refresh` shows the rebuild), and gives the columns the
 * asset declares as those of its query.
 */
export async function materializedStatements(
  lib: typeof import("@bruin-ts/pipeline"),
  asset: Asset,
  query: string,
  fullRefresh: boolean,
  interval: import("@bruin-ts/pipeline").RunInterval,
): Promise<string> {
  const { dialectFor, isConnectionType } = await import("@bruin-ts/connections");
  const type = asset.platform;
  if (!isConnectionType(type)) throw new Error(`asset '${asset.name}' of type '${asset.type}' runs no SQL here`);
  const statements: string[] = [];
  const recorder = new RecordingAdapter(asset, type, dialectFor(type), statements);
  await lib.materializeAsset(recorder, asset, query, { fullRefresh, interval });
  return statements.map((statement) => statement.trim().replace(/;$/, "")).join(";\n\n") + ";";
}

/** A connection that records the statements it is given and answers the materialization's few questions. */
class RecordingAdapter implements ConnectionAdapter {
  readonly name: string;

  constructor(
    private readonly asset: Asset,
    readonly type: ConnectionType,
    readonly dialect: ConnectionAdapter["dialect"],
    private readonly statements: string[],
  ) {
    this.name = asset.connection;
  }

  query(sql: string): Promise<QueryResult> {
    // Whether the table exists (and, on MySQL, whether it is a table or a view): it does, as a table.
    if (/information_schema\.tables/i.test(sql))
      return Promise.resolve({ columns: ["n", "t"], rows: [{ n: 1, t: "BASE TABLE" }] });
    // The columns of the query (read with `WHERE 1 = 0`): those the asset declares. Without a database
    // there is no other way to know them.
    const columns = this.asset.columns.map((column) => column.name);
    if (columns.length === 0) {
      return Promise.reject(
        new Error(
          `asset '${this.asset.name}': its incremental statements name the query's columns, which render cannot read without a database; declare them under 'columns:' (or pass --raw-query or --full-refresh)`,
        ),
      );
    }
    return Promise.resolve({ columns, rows: [] });
  }

  exec(sql: string): Promise<void> {
    this.statements.push(sql);
    return Promise.resolve();
  }

  transaction(statements: readonly string[]): Promise<void> {
    this.statements.push(...statements);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
