export type {
  Asset,
  AssetTask,
  CodeSpec,
  Column,
  ColumnCheck,
  ColumnCheckTask,
  CustomCheck,
  CustomCheckTask,
  Materialization,
  Pipeline,
  RunEvent,
  RunResult,
  SecretRef,
  Task,
  TaskOutcome,
  TaskStatus,
} from "./model.js";
export { PipelineError, SelectionError, VariableError } from "./errors.js";
export { loadPipeline, assetNameFromPath } from "./load.js";
export {
  readAssetDefinition,
  readPipelineDefinition,
  type AssetDefinition,
  type DefinitionKind,
} from "./definition.js";
export {
  buildTasks,
  connectionNames,
  customCheckIdName,
  type BuildTasksOptions,
  type TaskKindSelection,
} from "./graph.js";
export { runPipeline, type RunPipelineOptions } from "./run.js";
export { runTaskGraph, type ScheduleOptions, type SchedulableTask, type TaskRunRecord } from "./scheduler.js";
export { renderQuery, renderTemplate, templateContext, type RunInterval, type TemplateContext } from "./render.js";
export { materializeAsset, type MaterializeOptions } from "./materialize.js";
export { incrementalPlan, type IncrementalInput, type IncrementalPlan } from "./incremental.js";
export { TABLE_STRATEGIES, INCREMENTAL_STRATEGIES, type TableStrategy } from "./strategies.js";
export { columnCheckQuery } from "./checks.js";
export { platformOfAssetType, builtInDefaultConnection } from "./platforms.js";
export { COLUMN_CHECK_NAMES } from "./asset-fields.js";
export { withDownstream, selectByTags, selectAssets, type SelectionOptions } from "./select.js";
export { checkVariableTypes, parseVarFlags, resolveVariables } from "./vars.js";
export { connectionTypeProblems, validatePipeline, yesterdayUtc, type ValidateOptions } from "./validate.js";
export {
  buildCodeEnv,
  chooseInterpreter,
  columnType,
  findExecutable,
  findRequirements,
  formatDuration,
  loadRowStream,
  PYTHON_RUNNER,
  pythonVersionOf,
  readLines,
  runCodeAsset,
  runProcess,
  secretNames,
  secretValue,
  uvCommand,
  type CodeAssetOptions,
  type CodeAssetRun,
  type CodeEnvInput,
  type InjectedConnection,
  type Interpreter,
  type LoadStats,
  type OutputStream,
  type ProcessOptions,
  type ProcessResult,
  type ValueKind,
} from "./code-assets/index.js";
