export type {
  Asset,
  Column,
  ColumnCheck,
  CustomCheck,
  Materialization,
  Pipeline,
  RunEvent,
  RunResult,
  Task,
  TaskOutcome,
  TaskStatus,
} from "./model.js";
export { PipelineError, SelectionError, VariableError } from "./errors.js";
export { loadPipeline } from "./load.js";
export {
  readAssetDefinition,
  readPipelineDefinition,
  type AssetDefinition,
  type DefinitionKind,
} from "./definition.js";
export { buildTasks, connectionNames, type BuildTasksOptions, type TaskKindSelection } from "./graph.js";
export { assetInterval, runPipeline, type RunPipelineOptions } from "./run.js";
export { renderQuery, templateContext, type RunInterval, type TemplateContext } from "./render.js";
export { materializeAsset, type MaterializeOptions } from "./materialize.js";
export { selectAssets, type SelectionOptions } from "./select.js";
export { checkVariableTypes, parseVarFlags, resolveVariables } from "./vars.js";
export { connectionTypeProblems, validatePipeline, type ValidateOptions } from "./validate.js";
export { secretNames } from "./code-assets/fields.js";
export { columnTypeRules } from "./engines/index.js";
export type { ColumnTypeRules } from "./engines/engine.js";
export type { InjectedConnection } from "./code-assets/env.js";
export { formatDuration, type OutputStream } from "./code-assets/process.js";
export type { LoadStats } from "./code-assets/rows.js";
export type { CodeAssetOptions } from "./code-assets/task.js";
