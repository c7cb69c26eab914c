// Parses and validates a pipeline in a fresh process, as `bruin run` does
// before anything runs: read every file, build and check the graph, list the
// tasks. Prints {"ms": …} (modules loaded before the clock starts).
import { performance } from "node:perf_hooks";
import { buildTasks, connectionNames, loadPipeline } from "@bruin-ts/pipeline";

const started = performance.now();
const { pipeline } = await loadPipeline(process.argv[2]);
const tasks = buildTasks(pipeline, pipeline.assets);
const connections = connectionNames(pipeline.assets);
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ms, assets: pipeline.assets.length, tasks: tasks.length, connections: connections.length })}\n`,
);
