import yargs, { type Argv } from "yargs";
import { describeBackends } from "./backends.js";
import { EXIT } from "./errors.js";
import type { CliIO } from "./io.js";
import { VERSION } from "./version.js";

/** The options of every command that opens connections. */
function withBackendOptions<T>(command: Argv<T>) {
  return command
    .option("secrets-backend", { type: "string", describe: "where connections come from: file (default), infisical, env" })
    .option("environment", { alias: ["e", "env"], type: "string", describe: "environment of .bruin.yml" })
    .option("config-file", { type: "string", describe: "path of .bruin.yml (default: nearest one walking up)" })
    .option("verbose", { type: "boolean", default: false, describe: "more detail, still redacted" })
    .epilogue(describeBackends());
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ["1", "true", "yes", "on"].includes(value.trim().toLowerCase());
}

/** Parses `argv` (without node and script) and runs the command; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  let usageFailure: string | undefined;
  let output = "";
  const parser = yargs()
    .scriptName("bruin")
    .version(VERSION)
    .help()
    .alias("h", "help")
    .strict()
    .exitProcess(false)
    .wrap(Math.min(110, (io.stdout as { columns?: number }).columns ?? 100))
    .command(
      "run [path]",
      "Run a pipeline, or one asset of it",
      (command) =>
        withBackendOptions(command)
          .positional("path", { type: "string", default: ".", describe: "pipeline folder, pipeline.yml or asset file" })
          .option("workers", { type: "number", default: 16, describe: "tasks run at once" })
          .option("start-date", { type: "string", describe: "interval start (default: yesterday 00:00:00 UTC)" })
          .option("end-date", { type: "string", describe: "interval end (default: yesterday 23:59:59.999999 UTC)" })
          .option("color", { type: "boolean", describe: "colour even in a pipe (default: on a terminal only; --no-color, NO_COLOR or TERM=dumb turn it off)" })
          .option("lock-timeout", { type: "number", describe: "seconds to wait for a DuckDB file another process holds (default 0: fail at once)" })
          .option("timestamp", { type: "boolean", default: true, describe: "timestamps on log lines (--no-timestamp to turn off)" })
          .option("full-refresh", { alias: "r", type: "boolean", describe: "rebuild incremental tables from scratch (BRUIN_FULL_REFRESH)" })
          .option("tag", { alias: "t", type: "string", array: true, describe: "run only the assets with this tag" })
          .option("exclude-tag", { alias: "x", type: "string", array: true, describe: "skip the assets with this tag" })
          .option("downstream", { type: "boolean", default: false, describe: "with one asset: also everything downstream of it" })
          .option("only", { type: "string", array: true, describe: "main, checks, or both (comma-separated)" })
          .option("validation", { type: "boolean", default: true, describe: "validate before running (--no-validation to skip)" })
          .option("var", { type: "string", array: true, describe: "pipeline variable, key=value or a JSON object (BRUIN_VARS)" })
          .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
      async (args) => {
        const { runCommand } = await import("./commands/run.js");
        exitCode = await runCommand(
          {
            path: args.path ?? ".",
            secretsBackend: args.secretsBackend,
            environment: args.environment,
            configFile: args.configFile,
            workers: args.workers,
            startDate: args.startDate,
            endDate: args.endDate,
            color: args.color,
            lockTimeout: args.lockTimeout,
            timestamp: args.timestamp,
            verbose: args.verbose,
            fullRefresh: args.fullRefresh ?? truthy(io.env.BRUIN_FULL_REFRESH),
            tags: args.tag,
            excludeTags: args.excludeTag,
            downstream: args.downstream,
            only: args.only,
            validation: args.validation,
            vars: args.var,
            output: args.output,
          },
          io,
        );
      },
    )
    .command(
      "validate [path]",
      "Check a pipeline and its connections without running anything",
      (command) =>
        withBackendOptions(command)
          .positional("path", { type: "string", default: ".", describe: "pipeline folder, pipeline.yml or asset file" })
          .option("var", { type: "string", array: true, describe: "pipeline variable, key=value or a JSON object (BRUIN_VARS)" })
          .option("start-date", { type: "string", describe: "interval start templates are rendered with" })
          .option("end-date", { type: "string", describe: "interval end templates are rendered with" }),
      async (args) => {
        const { validateCommand } = await import("./commands/validate.js");
        exitCode = await validateCommand({ ...args, path: args.path ?? ".", vars: args.var }, io);
      },
    )
    .command("connections", "List and test the connections of a secrets backend", (connections) =>
      connections
        .command(
          "list",
          "List connections: type, name and filled fields (never values)",
          (command) =>
            withBackendOptions(command).option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
          async (args) => {
            const { connectionsListCommand } = await import("./commands/connections-list.js");
            exitCode = await connectionsListCommand(args, io);
          },
        )
        .command(
          "test [name]",
          "Open one connection and run a trivial query on it",
          (command) =>
            withBackendOptions(command)
              .positional("name", { type: "string", describe: "the connection" })
              .option("name", { alias: ["n", "c", "connection"], type: "string", describe: "the connection" })
              .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
          async (args) => {
            const { connectionsTestCommand } = await import("./commands/connections-test.js");
            exitCode = await connectionsTestCommand(args, io);
          },
        )
        .demandCommand(1, "Pass a subcommand: list or test"),
    )
    .command(
      "query",
      "Run one query on a connection, or an asset's query on its connection",
      (command) =>
        withBackendOptions(command)
          .option("connection", { alias: "c", type: "string", describe: "the connection to query" })
          .option("query", { alias: "q", type: "string", describe: "the SQL to run" })
          .option("asset", { type: "string", describe: "an asset file: run its rendered query on its connection" })
          .option("output", { alias: "o", type: "string", default: "plain", describe: "plain, json or csv" })
          .option("limit", { alias: "l", type: "number", describe: "at most this many rows" })
          .option("start-date", { type: "string", describe: "interval start for --asset templates" })
          .option("end-date", { type: "string", describe: "interval end for --asset templates" }),
      async (args) => {
        const { queryCommand } = await import("./commands/query.js");
        exitCode = await queryCommand(args, io);
      },
    )
    .demandCommand(1, "Pass a command, e.g. 'bruin run examples/quickstart'")
    .fail((message, error) => {
      if (error) throw error;
      usageFailure = message;
    });

  try {
    await parser.parseAsync([...argv], {}, (_error, _args, text) => {
      output = text;
    });
  } catch (error) {
    usageFailure ??= error instanceof Error ? error.message : String(error);
  }
  if (usageFailure) {
    if (output) io.stderr.write(`${output}\n\n`);
    io.stderr.write(`Error: ${usageFailure}\n`);
    return EXIT.usage;
  }
  if (output) io.stdout.write(`${output}\n`);
  return exitCode;
}
