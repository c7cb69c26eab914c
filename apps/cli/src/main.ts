import yargs from "yargs";
import { describeBackends } from "./backends.js";
import { EXIT } from "./errors.js";
import type { CliIO } from "./io.js";
import { VERSION } from "./version.js";

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
        command
          .positional("path", { type: "string", default: ".", describe: "pipeline folder, pipeline.yml or asset file" })
          .option("secrets-backend", { type: "string", describe: "where connections come from: file (default), infisical" })
          .option("environment", { alias: ["e", "env"], type: "string", describe: "environment of .bruin.yml" })
          .option("config-file", { type: "string", describe: "path of .bruin.yml (default: nearest one walking up)" })
          .option("workers", { type: "number", default: 16, describe: "tasks run at once" })
          .option("start-date", { type: "string", describe: "interval start (default: yesterday 00:00:00 UTC)" })
          .option("end-date", { type: "string", describe: "interval end (default: yesterday 23:59:59.999999 UTC)" })
          .option("color", { type: "boolean", default: true, describe: "colored output (--no-color to turn off)" })
          .option("timestamp", { type: "boolean", default: true, describe: "timestamps on log lines (--no-timestamp to turn off)" })
          .option("verbose", { type: "boolean", default: false, describe: "more detail, still redacted" })
          .epilogue(describeBackends()),
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
            timestamp: args.timestamp,
            verbose: args.verbose,
          },
          io,
        );
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
