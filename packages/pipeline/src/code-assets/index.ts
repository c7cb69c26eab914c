export { secretNames } from "./fields.js";
export { buildCodeEnv, secretValue, type CodeEnvInput, type InjectedConnection } from "./env.js";
export {
  chooseInterpreter,
  findExecutable,
  findRequirements,
  pythonVersionOf,
  uvCommand,
  type Interpreter,
} from "./interpreter.js";
export { runProcess, formatDuration, type OutputStream, type ProcessOptions, type ProcessResult } from "./process.js";
export { runCodeAsset, PYTHON_RUNNER, type CodeAssetRun } from "./run-code-asset.js";
export { loadRowStream, readLines, columnType, type LoadStats, type ValueKind } from "./rows.js";
export type { CodeAssetOptions } from "./task.js";
