export type {
  Asset,
  AssetTask,
  Column,
  ColumnCheck,
  ColumnCheckTask,
  CustomCheck,
  CustomCheckTask,
  Materialization,
  Pipeline,
  RunEvent,
  RunResult,
  Task,
  TaskOutcome,
  TaskStatus,
} from "./model.js";
export { PipelineError } from "./errors.js";
export { loadPipeline, assetNameFromPath } from "./load.js";
export { buildTasks, connectionNames, customCheckIdName } from "./graph.js";
export { runPipeline, type RunPipelineOptions } from "./run.js";
export { runTaskGraph, type ScheduleOptions, type SchedulableTask, type TaskRunRecord } from "./scheduler.js";
export { renderQuery, renderTemplate, templateContext, type TemplateContext } from "./render.js";
export { materializeAsset } from "./materialize.js";
export { columnCheckQuery } from "./checks.js";
export { platformOfAssetType, builtInDefaultConnection } from "./platforms.js";
export { COLUMN_CHECK_NAMES } from "./asset-fields.js";
export { withDownstream, selectByTags } from "./select.js";
