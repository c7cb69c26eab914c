export { runCli } from "./main.js";
export type { CliIO } from "./io.js";
export { EXIT } from "./errors.js";
