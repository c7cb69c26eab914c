// Spawning measured processes: wall time, peak memory, loaded modules.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const PEAK_MEMORY = fileURLToPath(new URL("./preload/peak-memory.mjs", import.meta.url));
const MODULE_TRACE = fileURLToPath(new URL("./preload/module-trace.mjs", import.meta.url));

/**
 * Runs `node ...args` to the end; resolves to its wall time in ms (spawn to
 * exit, as a shell would see it), exit code and, with `peakMemory`, its peak
 * resident set size in bytes. Output is discarded unless `capture` is set.
 */
export async function runNode(
  args,
  { cwd, env = process.env, peakMemory = false, traceModules = false, capture = false } = {},
) {
  const scratch = peakMemory || traceModules ? mkdtempSync(path.join(tmpdir(), "bruin-bench-")) : undefined;
  const preloads = [];
  const childEnv = { ...env };
  if (peakMemory) {
    preloads.push("--import", PEAK_MEMORY);
    childEnv.BENCH_PEAK_MEMORY_FILE = path.join(scratch, "peak-memory");
  }
  if (traceModules) {
    preloads.push("--import", MODULE_TRACE);
    childEnv.BENCH_MODULE_TRACE_FILE = path.join(scratch, "modules");
  }
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [...preloads, ...args], {
      cwd,
      env: childEnv,
      stdio: ["ignore", capture ? "pipe" : "ignore", capture ? "pipe" : "ignore"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    const code = await new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (status) => resolve(status ?? 1));
    });
    const ms = performance.now() - started;
    const result = { ms, code, output };
    if (peakMemory) result.peakBytes = Number(readFileSync(childEnv.BENCH_PEAK_MEMORY_FILE, "utf8"));
    if (traceModules)
      result.modules = [...new Set(readFileSync(childEnv.BENCH_MODULE_TRACE_FILE, "utf8").split("\n").filter(Boolean))];
    return result;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Like runNode, but a non-zero exit is an error that shows the output. */
export async function runNodeOk(args, options = {}) {
  const result = await runNode(args, { ...options, capture: true });
  if (result.code !== 0) {
    throw new Error(`node ${args.join(" ")} exited with code ${result.code}:\n${result.output.slice(-2000)}`);
  }
  return result;
}

/** The npm package a module file belongs to ("@duckdb/node-api"), or undefined outside node_modules. */
export function packageOf(file) {
  const match = /.*[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  return match ? match[1].replace(/\\/g, "/") : undefined;
}
