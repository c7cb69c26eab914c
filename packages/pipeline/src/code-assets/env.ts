import { defaultedFields, holdsPlainValue, isConnectionType } from "@bruin-ts/connections";
import type { Asset } from "../model.js";
import { templateContext, type RunInterval } from "../render.js";

/** A resolved connection, as a secrets backend hands it over after validation. */
export interface InjectedConnection {
  name: string;
  type: string;
  details: Record<string, unknown>;
}

export interface CodeEnvInput {
  /** The environment the child inherits, backend credentials already removed. */
  base: Record<string, string | undefined>;
  asset: Asset;
  pipelineName: string;
  interval: RunInterval;
  /** When the run started (BRUIN_EXECUTION_*). */
  executionDate: Date;
  runId: string;
  fullRefresh: boolean;
  /** The pipeline's variables with the run's overrides applied. */
  variables: Record<string, unknown>;
  /** The variables' declarations in pipeline.yml. */
  variableSchemas?: Record<string, Record<string, unknown>>;
  /** The commit of the repository the pipeline lives in, or empty. */
  commitHash?: string;
  /** The asset's `secrets:`, each with the connection it names. */
  secrets: ReadonlyArray<{ injectAs: string; connection: InjectedConnection }>;
}

/**
 * The value a secret is injected as: a `generic` connection's value as it
 * is; any other type as JSON of the connection's name and its fields with
 * their `.bruin.yml` names (numbers stay numbers; fields not set, or holding the
 * default validation filled in, are left out),
 * as the reference CLI injects it.
 */
export function secretValue(connection: InjectedConnection): string {
  if (holdsPlainValue(connection.type)) return String(connection.details.value ?? "");
  const fields: Record<string, unknown> = { name: connection.name };
  const defaults = isConnectionType(connection.type) ? defaultedFields(connection.type) : {};
  for (const [key, value] of Object.entries(connection.details)) {
    if (value === undefined || value === null) continue;
    // A value validation filled in (pool_max_conns: 10) is not one the secret set.
    if (key in defaults && Object.is(defaults[key], value)) continue;
    fields[key] = value;
  }
  return JSON.stringify(fields);
}

/**
 * The environment of a code asset's process: the inherited one, the built-in
 * BRUIN_* variables with the reference CLI's names and formats, and the
 * asset's secrets (which win over anything inherited of the same name).
 */
export function buildCodeEnv(input: CodeEnvInput): Record<string, string> {
  const context = templateContext({
    assetName: input.asset.name,
    pipelineName: input.pipelineName,
    interval: input.interval,
    variables: input.variables,
  });
  const execution = templateContext({
    assetName: input.asset.name,
    pipelineName: input.pipelineName,
    interval: { start: input.executionDate, end: input.executionDate },
    variables: {},
  });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.base)) if (value !== undefined) env[key] = value;
  const types: Record<string, string> = {};
  for (const { injectAs, connection } of input.secrets) types[injectAs] = connection.type;
  Object.assign(env, {
    BRUIN_START_DATE: context.start_date,
    BRUIN_START_DATETIME: context.start_datetime,
    BRUIN_START_TIMESTAMP: context.start_timestamp,
    BRUIN_END_DATE: context.end_date,
    BRUIN_END_DATETIME: context.end_datetime,
    BRUIN_END_TIMESTAMP: context.end_timestamp,
    BRUIN_EXECUTION_DATE: execution.start_date,
    BRUIN_EXECUTION_DATETIME: execution.start_datetime,
    BRUIN_EXECUTION_TIMESTAMP: execution.start_timestamp,
    BRUIN_RUN_ID: input.runId,
    BRUIN_PIPELINE: input.pipelineName,
    BRUIN_FULL_REFRESH: input.fullRefresh ? "1" : "",
    BRUIN_COMMIT_HASH: input.commitHash ?? "",
    BRUIN_ASSET: input.asset.name,
    BRUIN_THIS: input.asset.name,
    BRUIN_CONNECTION: input.asset.connection,
    BRUIN_CONNECTION_TYPES: JSON.stringify(types),
    BRUIN_VARS: JSON.stringify(input.variables),
    // Each variable's declaration by name, as the reference's Python SDK reads it to coerce BRUIN_VARS.
    BRUIN_VARS_SCHEMA: JSON.stringify(input.variableSchemas ?? {}),
    PYTHONUNBUFFERED: "1",
  });
  for (const { injectAs, connection } of input.secrets) env[injectAs] = secretValue(connection);
  return env;
}
