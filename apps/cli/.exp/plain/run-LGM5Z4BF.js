import {
  formatInstant,
  resolveInterval
} from "./chunk-WGXVX7CK.js";
import {
  Printer,
  failureLines,
  openSession,
  problemLines,
  summarizeFailures
} from "./chunk-BE5S5HKE.js";
import {
  EXIT,
  UsageError,
  chooseBackend
} from "./chunk-EBIUNHAN.js";

// src/commands/run.ts
import path from "node:path";
import { Redactor } from "@bruin-ts/secrets-core";

// src/render/json.ts
var JsonRenderer = class {
  constructor(printer) {
    this.printer = printer;
  }
  #pipeline;
  #interval;
  start(info) {
    this.#pipeline = info.pipeline;
    this.#interval = info.interval;
  }
  note() {
  }
  query() {
  }
  event(_event) {
  }
  finish(result) {
    const count = (kind, status) => result.tasks.filter((t) => t.task.kind === "asset" === (kind === "asset") && t.status === status).length;
    const totals = (kind) => ({
      succeeded: count(kind, "succeeded"),
      failed: count(kind, "failed"),
      upstream_failed: count(kind, "upstream_failed"),
      skipped: count(kind, "skipped")
    });
    this.#print({
      ...this.#header(),
      status: result.ok ? "succeeded" : "failed",
      started_at: result.startedAt.toISOString(),
      duration_ms: Math.round(result.durationMs),
      tasks: result.tasks.map((outcome) => ({
        id: outcome.task.id,
        asset: outcome.task.assetName,
        kind: outcome.task.kind,
        status: outcome.status,
        started_at: outcome.startedAt?.toISOString() ?? null,
        duration_ms: Math.round(outcome.durationMs),
        error: outcome.error ?? null
      })),
      totals: { assets: totals("asset"), checks: totals("check") }
    });
  }
  fail(lines, exitCode) {
    for (const line of lines) this.printer.err(line);
    this.#print({ ...this.#header(), status: "error", exit_code: exitCode, errors: lines, tasks: [] });
  }
  #header() {
    return {
      pipeline: this.#pipeline ?? null,
      interval: this.#interval ? { start: formatInstant(this.#interval.start), end: formatInstant(this.#interval.end) } : null
    };
  }
  #print(document) {
    this.printer.out(JSON.stringify(document, null, 2));
  }
};

// src/summary.ts
var CHECK_MARK = { succeeded: ".", failed: "F", upstream_failed: "U", skipped: "U" };
function printSummary(result, printer) {
  const byAsset = /* @__PURE__ */ new Map();
  for (const outcome of result.tasks) {
    const entry = byAsset.get(outcome.task.assetName) ?? { checks: [] };
    if (outcome.task.kind === "asset") entry.main = outcome;
    else entry.checks.push(outcome);
    byAsset.set(outcome.task.assetName, entry);
  }
  printer.out();
  printer.out("=".repeat(50));
  printer.out();
  for (const [name, { main, checks: checks2 }] of byAsset) {
    const marks = checks2.map((check) => CHECK_MARK[check.status] ?? "?").join("");
    const suffix = marks ? ` ${marks}` : "";
    if (main?.status === "upstream_failed") {
      printer.out(`${printer.paint("yellow", "UPSTREAM FAILED")} ${name}${suffix}`);
    } else if (main?.status === "failed" || checks2.some((check) => check.status === "failed")) {
      printer.out(`${printer.paint("red", "FAIL")} ${name}${suffix}`);
    } else {
      printer.out(`${printer.paint("green", "PASS")} ${name}${suffix}`);
    }
  }
  const failed = result.tasks.filter((outcome) => outcome.status === "failed" && outcome.error);
  if (failed.length > 0) {
    printer.out();
    printer.out("Errors:");
    for (const outcome of failed) printer.out(`  ${outcome.task.id}: ${outcome.error.split("\n")[0]}`);
  }
  printer.out();
  const seconds = formatDuration(result.durationMs);
  printer.out(
    result.ok ? `bruin run completed successfully in ${seconds}` : `bruin run completed with failures in ${seconds}`
  );
  printer.out();
  const assets = result.tasks.filter((outcome) => outcome.task.kind === "asset");
  const checks = result.tasks.filter((outcome) => outcome.task.kind !== "asset");
  printer.out(totalsLine("Assets executed", assets, printer));
  if (checks.length > 0) printer.out(totalsLine("Quality checks", checks, printer));
}
function totalsLine(label, outcomes, printer) {
  const count = (status) => outcomes.filter((outcome) => outcome.status === status).length;
  const failed = count("failed");
  const skipped = count("upstream_failed") + count("skipped");
  const parts = [];
  if (failed > 0) parts.push(`${failed} failed`);
  parts.push(`${count("succeeded")} succeeded`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  const mark = failed > 0 ? printer.paint("red", "\u2717") : printer.paint("green", "\u2713");
  return ` ${mark} ${label.padEnd(20)} ${parts.join(" / ")}`;
}
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)}s`;
  const minutes = Math.floor(ms / 6e4);
  return `${minutes}m${Math.round(ms % 6e4 / 1e3)}s`;
}

// src/render/plain.ts
var PlainRenderer = class {
  constructor(printer, timestamps) {
    this.printer = printer;
    this.timestamps = timestamps;
  }
  start(info) {
    this.printer.out(`Analyzed the pipeline '${info.pipeline}' with ${info.assets} assets.`);
    this.printer.out();
    this.printer.out(`Interval: ${formatInstant(info.interval.start)} - ${formatInstant(info.interval.end)}`);
    this.printer.out();
  }
  note(line) {
    this.printer.out(line);
  }
  query(task, sql) {
    this.printer.out(`${this.stamp()}Query of ${task}:`);
    for (const line of sql.split("\n")) this.printer.out(`    ${line}`);
  }
  event(event) {
    if (event.type === "task-start") {
      this.printer.out(`${this.stamp()}Running:  ${event.task.id}`);
      return;
    }
    const seconds = `(${(event.durationMs / 1e3).toFixed(2)}s)`;
    if (event.status === "succeeded") this.printer.out(`${this.stamp()}Finished: ${event.task.id} ${seconds}`);
    else if (event.status === "failed") {
      this.printer.out(`${this.stamp()}${this.printer.paint("red", "Failed:")}   ${event.task.id} ${seconds}`);
      if (event.error) for (const line of event.error.split("\n")) this.printer.out(`  ${line}`);
    }
  }
  finish(result) {
    printSummary(result, this.printer);
  }
  fail(lines) {
    for (const line of lines) this.printer.err(line);
  }
  stamp() {
    if (!this.timestamps) return "";
    return `${this.printer.paint("gray", `[${(/* @__PURE__ */ new Date()).toISOString().slice(11, 19)}]`)} `;
  }
};

// src/render/live.ts
var FRAMES = ["\u280B", "\u2819", "\u2839", "\u2838", "\u283C", "\u2834", "\u2826", "\u2827", "\u2807", "\u280F"];
var REFRESH_MS = 100;
var LiveRenderer = class {
  constructor(printer, io) {
    this.printer = printer;
    this.io = io;
    this.#plain = new PlainRenderer(printer, false);
  }
  #plain;
  #running = /* @__PURE__ */ new Set();
  #total = 0;
  #done = 0;
  #failed = 0;
  #frame = 0;
  #timer;
  start(info) {
    this.#plain.start(info);
  }
  /** The number of tasks the run will execute. */
  expect(total) {
    this.#total = total;
    this.#timer = setInterval(() => this.#draw(), REFRESH_MS);
    this.#timer.unref();
  }
  note(line) {
    this.#clear();
    this.#plain.note(line);
  }
  query(task, sql) {
    this.#clear();
    this.#plain.query(task, sql);
  }
  event(event) {
    if (event.type === "task-start") this.#running.add(event.task.id);
    else {
      this.#running.delete(event.task.id);
      this.#done++;
      if (event.status === "failed") {
        this.#failed++;
        this.#clear();
        this.printer.out(`${this.printer.paint("red", "Failed:")} ${event.task.id}`);
      }
    }
    this.#draw();
  }
  finish(result) {
    this.#stop();
    this.#plain.finish(result);
  }
  fail(lines, exitCode) {
    this.#stop();
    this.#plain.fail(lines);
  }
  #draw() {
    if (this.#total === 0) return;
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    const running = [...this.#running];
    const shown = running.slice(0, 3).join(", ") + (running.length > 3 ? ` +${running.length - 3}` : "");
    const failures = this.#failed > 0 ? this.printer.paint("red", ` \xB7 ${this.#failed} failed`) : "";
    const columns = this.io.stderr.columns ?? 100;
    const line = `${frame} ${this.#done}/${this.#total} tasks done${running.length ? ` \xB7 running: ${shown}` : ""}`;
    this.io.stderr.write(`\r\x1B[K${this.printer.redactor.redact(line.slice(0, columns - 20))}${failures}`);
  }
  #clear() {
    this.io.stderr.write("\r\x1B[K");
  }
  #stop() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = void 0;
    this.#clear();
  }
};

// src/commands/run.ts
var ONLY_VALUES = ["main", "checks"];
async function runCommand(options, io) {
  const printer = new Printer(io, new Redactor(), { color: options.color && options.output !== "json" });
  const renderer = chooseRenderer(options, io, printer);
  try {
    return await execute(options, io, printer, renderer);
  } catch (error) {
    const { lines, exitCode } = failureLines(error, options.verbose);
    renderer.fail(lines, exitCode);
    return exitCode;
  }
}
function chooseRenderer(options, io, printer) {
  if (options.output === "json") return new JsonRenderer(printer);
  const live = Boolean(io.stderr.isTTY) && !io.env.CI && !options.verbose;
  return live ? new LiveRenderer(printer, io) : new PlainRenderer(printer, options.timestamp);
}
async function execute(options, io, printer, renderer) {
  const flags = checkFlags(options, io);
  const pipelineLib = await import("@bruin-ts/pipeline");
  const { pipeline, selectedAsset } = await pipelineLib.loadPipeline(path.resolve(io.cwd, options.path));
  const variables = pipelineLib.resolveVariables(pipeline, pipelineLib.parseVarFlags(options.vars ?? [], io.env.BRUIN_VARS));
  const assets = pipelineLib.selectAssets(pipeline, {
    ...selectedAsset ? { asset: selectedAsset } : {},
    downstream: options.downstream === true,
    tags: options.tags ?? [],
    excludeTags: options.excludeTags ?? []
  });
  renderer.start({ pipeline: pipeline.name, assets: pipeline.assets.length, interval: flags.interval });
  const tasks = pipelineLib.buildTasks(pipeline, assets, { only: flags.only });
  if (tasks.length === 0) {
    renderer.note("No tasks to run.");
    if (renderer instanceof JsonRenderer) renderer.finish({ startedAt: /* @__PURE__ */ new Date(), tasks: [], ok: true, durationMs: 0 });
    return EXIT.ok;
  }
  if (options.validation) {
    const { issues } = await pipelineLib.validatePipeline(pipeline, assets, { variables, interval: flags.interval });
    if (issues.length > 0) {
      renderer.fail(problemLines(issues), EXIT.failed);
      return EXIT.failed;
    }
  }
  const session = await openSession(options, io, printer, pipeline.dir);
  try {
    const failures = await session.connections.resolveAll(pipelineLib.connectionNames(assets));
    if (failures.length > 0) {
      const { lines, exitCode } = summarizeFailures(failures);
      renderer.fail(
        [
          `Could not prepare the connections of this run (${session.backend.id} backend); no asset was run:`,
          ...lines.map((line) => `  - ${line}`)
        ],
        exitCode
      );
      return exitCode;
    }
    return await runTasks(pipelineLib, { pipeline, tasks, variables, options, interval: flags.interval, session, renderer });
  } finally {
    await session.close();
  }
}
async function runTasks(pipelineLib, run) {
  const { renderer, options } = run;
  renderer.note("Starting the pipeline execution...");
  renderer.note("");
  if (renderer instanceof LiveRenderer) renderer.expect(run.tasks.length);
  const result = await pipelineLib.runPipeline({
    pipeline: run.pipeline,
    tasks: run.tasks,
    getConnection: (name) => run.session.connections.open(name),
    workers: options.workers,
    interval: run.interval,
    variables: run.variables,
    fullRefresh: options.fullRefresh === true,
    onEvent: (event) => renderer.event(event),
    ...options.verbose ? { onQuery: (task, sql) => renderer.query(task.id, sql) } : {}
  });
  renderer.finish(result);
  return result.ok ? EXIT.ok : EXIT.failed;
}
function checkFlags(options, io) {
  if (!["plain", "json"].includes(options.output)) {
    throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
  }
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new UsageError(`--workers must be a positive whole number, got '${options.workers}'`);
  }
  chooseBackend(options.secretsBackend, io.env);
  const only = options.only?.flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
  for (const value of only ?? []) {
    if (!ONLY_VALUES.includes(value)) {
      throw new UsageError(`invalid --only '${value}'; possible values: ${ONLY_VALUES.join(", ")}`);
    }
  }
  const interval = resolveInterval(options.startDate ?? io.env.BRUIN_START_DATE, options.endDate ?? io.env.BRUIN_END_DATE);
  return { interval, only: only && only.length > 0 ? only : void 0 };
}
export {
  runCommand
};
