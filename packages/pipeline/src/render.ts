import nunjucks from "nunjucks";
import { displayPath } from "./display-path.js";
import { macrosFor } from "./macros.js";
import { rewriteAssetReferences } from "./schema-prefix.js";
import type { Asset } from "./model.js";

// Undefined variables must fail the asset rather than render as empty SQL.
export const environment = new nunjucks.Environment(null, { throwOnUndefined: true, autoescape: false });

export interface TemplateContext {
  start_date: string;
  /** `YYYYMMDD`. */
  start_date_nodash: string;
  end_date: string;
  end_date_nodash: string;
  start_datetime: string;
  end_datetime: string;
  start_timestamp: string;
  end_timestamp: string;
  /** When the run started, in the same four forms. */
  execution_date: string;
  execution_date_nodash: string;
  execution_datetime: string;
  execution_timestamp: string;
  this: string;
  pipeline: string;
  /** The run's ID (the same for every asset of a run); empty outside a run. */
  run_id: string;
  /** The commit of the repository holding the pipeline, when the asset's templates name it; else empty. */
  commit_hash: string;
  /** Whether the run rebuilds its tables from scratch (`--full-refresh`). */
  full_refresh: boolean;
  /** The pipeline's schema prefix, empty without one. */
  schema_prefix: string;
  var: Record<string, unknown>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function formatDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function formatDateTime(d: Date): string {
  return `${formatDate(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * The run interval. A Date holds milliseconds only: `startMicros` and
 * `endMicros` carry the microseconds past the millisecond (0–999), so an end
 * of `11:00:00.654321` renders as such in `end_timestamp`.
 */
export interface RunInterval {
  start: Date;
  end: Date;
  startMicros?: number;
  endMicros?: number;
}

function formatTimestamp(d: Date, micros = 0): string {
  return `${formatDateTime(d)}.${pad(d.getUTCMilliseconds(), 3)}${pad(micros, 3)}Z`;
}

/** The variables a query sees; dates are in UTC. */
export function templateContext(options: {
  assetName: string;
  pipelineName: string;
  interval: RunInterval;
  variables: Record<string, unknown>;
  fullRefresh?: boolean | undefined;
  /** `run_id`; empty outside a run. */
  runId?: string | undefined;
  /** `execution_date` and the like: when the run started; default: now. */
  executionDate?: Date | undefined;
  /** `schema_prefix`; empty without one. */
  schemaPrefix?: string | undefined;
  /** `commit_hash`; empty when not given. */
  commitHash?: string | undefined;
}): TemplateContext {
  const { start, end } = options.interval;
  const execution = options.executionDate ?? new Date();
  return {
    start_date: formatDate(start),
    start_date_nodash: formatDate(start).replaceAll("-", ""),
    end_date: formatDate(end),
    end_date_nodash: formatDate(end).replaceAll("-", ""),
    start_datetime: formatDateTime(start),
    end_datetime: formatDateTime(end),
    start_timestamp: formatTimestamp(start, options.interval.startMicros),
    end_timestamp: formatTimestamp(end, options.interval.endMicros),
    execution_date: formatDate(execution),
    execution_date_nodash: formatDate(execution).replaceAll("-", ""),
    execution_datetime: formatDateTime(execution),
    execution_timestamp: formatTimestamp(execution),
    this: options.assetName,
    pipeline: options.pipelineName,
    run_id: options.runId ?? "",
    commit_hash: options.commitHash ?? "",
    full_refresh: options.fullRefresh === true,
    schema_prefix: options.schemaPrefix ?? "",
    var: options.variables,
  };
}

/** nunjucks says "attempted to output null or undefined value"; show the expression instead. */
function describeFailure(message: string, template: string, line: number, column: number): string {
  const reason = (message.split("\n").slice(1).join(" ").trim() || message).replace(/^Error:\s*/, "");
  if (!reason.startsWith("attempted to output null or undefined")) return reason;
  const text = template.split("\n")[line - 1] ?? "";
  const from = text.lastIndexOf("{{", Math.max(0, column));
  const to = text.indexOf("}}", from);
  const expression = from >= 0 && to > from ? text.slice(from, to + 2) : "";
  return expression ? `undefined value in '${expression}'` : "undefined value";
}

/**
 * Renders `template` (a query or custom check) as Jinja. `firstLine` is the
 * file line the template starts on, so errors point into the asset file.
 */
const TEMPLATE_SYNTAX = /\{[{%#]/;

export function renderTemplate(
  template: string,
  context: TemplateContext,
  where: { asset: Asset; firstLine?: number; what?: string },
): string {
  // Most queries use no template syntax at all: they render to themselves without the template engine.
  if (!TEMPLATE_SYNTAX.test(template)) return rewriteAssetReferences(where.asset, template);
  try {
    const macros = macrosFor(where.asset, environment, context);
    return rewriteAssetReferences(
      where.asset,
      environment.renderString(template, (macros ? { ...macros, ...context } : context) as unknown as object),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /\[Line (\d+), Column (\d+)\]/.exec(message);
    const line = position ? Number(position[1]) : undefined;
    const reason = describeFailure(message, template, line ?? 0, position ? Number(position[2]) - 1 : 0);
    const file = displayPath(where.asset.path);
    const at =
      line === undefined
        ? ` (${file})`
        : where.firstLine === undefined
          ? ` at line ${line} of it (${file})`
          : ` at ${file}:${where.firstLine + line - 1}`;
    throw new Error(`asset '${where.asset.name}': failed to render the ${where.what ?? "query"}${at}: ${reason}`);
  }
}

/** Renders an asset's query. */
export function renderQuery(asset: Asset, context: TemplateContext): string {
  return renderTemplate(asset.query, context, { asset, firstLine: asset.queryLine });
}
