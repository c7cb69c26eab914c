import {
  EXIT,
  UsageError,
  chooseBackend
} from "./chunk-EBIUNHAN.js";

// src/connections.ts
import { ConnectionResolver } from "@bruin-ts/secrets-core";
var RunConnections = class _RunConnections {
  #resolver;
  #open = /* @__PURE__ */ new Map();
  #connections;
  constructor(backend, printer, connections) {
    this.#connections = connections;
    this.#resolver = new ConnectionResolver({
      backend,
      redactor: printer.redactor,
      sensitiveValues: connections.sensitiveValues,
      validate: (secret, from) => connections.validateConnection(secret, { backend: from.id, exitCode: from.exitCode ?? 3 })
    });
  }
  static async create(backend, printer) {
    return new _RunConnections(backend, printer, await import("@bruin-ts/connections"));
  }
  /** Resolves and validates every name concurrently; returns all failures. */
  async resolveAll(names) {
    const { failures } = await this.#resolver.resolveAll(names);
    return failures;
  }
  resolve(name) {
    return this.#resolver.resolve(name);
  }
  open(name) {
    let adapter = this.#open.get(name);
    if (!adapter) {
      adapter = this.resolve(name).then((connection) => this.#connections.openConnection(connection));
      this.#open.set(name, adapter);
    }
    return adapter;
  }
  async closeAll() {
    const pending = [...this.#open.values()];
    this.#open.clear();
    await Promise.allSettled(pending.map(async (adapter) => (await adapter).close()));
  }
};
function summarizeFailures(failures) {
  const lines = [...new Set(failures.map((failure) => failure.describe()))];
  const exitCode = Math.max(...failures.map((failure) => failure.exitCode));
  return { lines, exitCode };
}

// src/io.ts
var ANSI = { red: 31, green: 32, yellow: 33, gray: 90, bold: 1 };
var Printer = class {
  constructor(io, redactor, options = {}) {
    this.io = io;
    this.redactor = redactor;
    const wanted = options.color ?? true;
    this.color = wanted && Boolean(io.stdout.isTTY) && io.env.NO_COLOR === void 0;
  }
  color;
  out(line = "") {
    this.io.stdout.write(`${this.redactor.redact(line)}
`);
  }
  err(line = "") {
    this.io.stderr.write(`${this.redactor.redact(line)}
`);
  }
  paint(color, text) {
    return this.color ? `\x1B[${ANSI[color]}m${text}\x1B[0m` : text;
  }
};

// src/report.ts
import { isSecretsError } from "@bruin-ts/secrets-core";
function failureLines(error, verbose) {
  if (error instanceof UsageError) return { lines: [`Error: ${error.message}`], exitCode: error.exitCode };
  if (isSecretsError(error)) {
    const lines2 = [`Error: ${error.describe()}`];
    if (verbose && error.detail) lines2.push(`  ${error.detail}`);
    return { lines: lines2, exitCode: error.exitCode };
  }
  const issues = error.issues;
  const code = error.exitCode;
  const exitCode = typeof code === "number" ? code : EXIT.failed;
  if (error instanceof Error && Array.isArray(issues) && issues.length > 0) {
    return { lines: problemLines(issues.map(String)), exitCode };
  }
  const lines = [`Error: ${error instanceof Error ? error.message : String(error)}`];
  if (verbose && error instanceof Error && error.stack) lines.push(error.stack);
  return { lines, exitCode };
}
function problemLines(issues) {
  if (issues.length === 1) return [`Error: ${issues[0]}`];
  return [`Error: the pipeline has ${issues.length} problems:`, ...issues.map((issue) => `  - ${issue}`)];
}

// src/session.ts
async function openSession(flags, io, printer, pipelineDir, environment = flags.environment ?? io.env.BRUIN_ENVIRONMENT) {
  const choice = chooseBackend(flags.secretsBackend, io.env);
  const backend = await choice.create({
    env: io.env,
    redactor: printer.redactor,
    cwd: io.cwd,
    environment,
    configFile: flags.configFile ?? io.env.BRUIN_CONFIG_FILE,
    pipelineDir: pipelineDir ?? io.cwd,
    debug: flags.verbose ? (message) => printer.err(message) : void 0
  });
  const connections = await RunConnections.create(backend, printer);
  return {
    backend,
    connections,
    environmentName: async () => await backend.environmentName?.() ?? environment ?? "default",
    close: async () => {
      await connections.closeAll();
      await backend.close?.();
    }
  };
}
function reportFatal(error, printer, verbose) {
  const { lines, exitCode } = failureLines(error, verbose);
  for (const line of lines) printer.err(line);
  return exitCode;
}

export {
  summarizeFailures,
  Printer,
  failureLines,
  problemLines,
  openSession,
  reportFatal
};
