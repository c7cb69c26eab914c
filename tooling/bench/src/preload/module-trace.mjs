// Preloaded with --import into a measured process: records every module file
// it loads into BENCH_MODULE_TRACE_FILE, one path a line. ES modules are seen
// by a load hook (module.register runs it off the main thread); CommonJS
// modules required from CommonJS never reach that hook, so the require cache
// is added when the process exits.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.BENCH_MODULE_TRACE_FILE;
if (file) {
  register("./module-trace-hooks.mjs", import.meta.url, { data: { file } });
  const require = createRequire(import.meta.url);
  process.on("exit", () => {
    const paths = Object.keys(require.cache);
    if (paths.length > 0) appendFileSync(file, `${paths.join("\n")}\n`);
  });
}
