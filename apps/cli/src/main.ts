import { existsSync } from "node:fs";
import path from "node:path";
import yargs, { type Argv } from "yargs";
import {
  closestWord,
  describeFlag,
  flagsOf,
  listValues,
  rawValue,
  repeated,
  singleDashLongFlags,
  unknownArgumentMessages,
  valueFlags,
  valueProblems,
  type CommandFlags,
} from "./args.js";
import { BACKENDS, chooseBackend, describeBackends } from "./backends.js";
import { EXIT, UsageError } from "./errors.js";
import { outputSuppressed, type CliIO } from "./io.js";
import { VERSION } from "./version.js";

/** The commands, and the subcommands of those that have some. */
const COMMANDS: Record<string, readonly string[]> = {
  run: [],
  validate: [],
  connections: ["list", "test"],
  query: [],
  render: [],
  "render-ddl": [],
  format: [],
  init: [],
  internal: ["parse-pipeline", "parse-asset", "patch-asset", "patch-pipeline", "connections"],
  patch: ["fill-asset-dependencies", "fill-columns-from-db"],
  version: [],
  completion: [],
  help: [],
};

/** The flags of the reference's semantic-layer queries: declared so that `query` can say they are not supported yet. */
const SEMANTIC_QUERY_FLAGS = ["semantic-model", "dimension", "metric", "filter", "segment", "sort"] as const;

/** The options of every command that opens connections. */
function withBackendOptions<T>(command: Argv<T>) {
  return command
    .option("secrets-backend", {
      type: "string",
      describe: `where connections come from: ${BACKENDS.map((b) => b.id).join(", ")} (default file)`,
    })
    .option("environment", { alias: ["e", "env"], type: "string", describe: "environment of .bruin.yml" })
    .option("config-file", { type: "string", describe: "path of .bruin.yml (default: nearest one walking up)" })
    .option("verbose", { type: "boolean", default: false, describe: "more detail, still redacted" })
    .epilogue(describeBackends());
}

/** BRUIN_FULL_REFRESH as a boolean; a value that is neither is refused, naming the variable. */
function fullRefreshFromEnv(value: string | undefined): boolean {
  const text = value?.trim().toLowerCase() ?? "";
  if (["", "0", "false", "no", "off"].includes(text)) return false;
  if (["1", "true", "yes", "on"].includes(text)) return true;
  throw new UsageError(`BRUIN_FULL_REFRESH must be true or false (also 1/0, yes/no, on/off)`);
}

/**
 * Flags about where connections come from that the chosen backend would
 * otherwise ignore. `--environment` selects the Infisical environment
 * (over BRUIN_INFISICAL_ENVIRONMENT); the env backend has no environments.
 */
function backendIO(
  flags: { secretsBackend?: string | undefined; environment?: string | undefined; configFile?: string | undefined },
  io: CliIO,
): CliIO {
  const fromVariable = flags.secretsBackend === undefined && Boolean(io.env.BRUIN_SECRETS_BACKEND?.trim());
  let backend;
  try {
    backend = chooseBackend(flags.secretsBackend, io.env);
  } catch (error) {
    if (fromVariable && error instanceof UsageError) throw new UsageError(`BRUIN_SECRETS_BACKEND: ${error.message}`);
    throw error;
  }
  const configFile = flags.configFile ?? (io.env.BRUIN_CONFIG_FILE?.trim() || undefined);
  if (backend.id === "file" && configFile !== undefined && !existsSync(path.resolve(io.cwd, configFile))) {
    const source = flags.configFile !== undefined ? "--config-file" : "BRUIN_CONFIG_FILE";
    throw new UsageError(`${source} '${configFile}': no such file`);
  }
  if (backend.id !== "file" && flags.configFile !== undefined) {
    throw new UsageError(
      `--config-file is read by the file backend only; the ${backend.id} backend does not use .bruin.yml`,
    );
  }
  // What --environment means is the backend's to say (its descriptor); the file backend reads it itself.
  const meaning = backend.environment;
  if (flags.environment === undefined || meaning === undefined) return io;
  if ("unsupported" in meaning) {
    throw new UsageError(
      `--environment cannot be used with the ${backend.id} backend: it has no environments. ${meaning.unsupported}`,
    );
  }
  return { ...io, env: { ...io.env, [meaning.variable]: flags.environment } };
}

/** The completion script for a shell; the words come from `bruin --get-yargs-completions`, yargs' completion. */
function completionScript(shell: string): string {
  if (shell === "bash") {
    return [
      "###-begin-bruin-completions-###",
      "# bruin completion for bash: bruin completion bash >> ~/.bashrc",
      "_bruin_yargs_completions() {",
      '  local cur_word="${COMP_WORDS[COMP_CWORD]}"',
      "  local IFS=$'\\n'",
      '  COMPREPLY=($(compgen -W "$(bruin --get-yargs-completions "${COMP_WORDS[@]:1:COMP_CWORD}")" -- "$cur_word"))',
      "  return 0",
      "}",
      "complete -o bashdefault -o default -F _bruin_yargs_completions bruin",
      "###-end-bruin-completions-###",
    ].join("\n");
  }
  if (shell === "zsh") {
    return [
      "#compdef bruin",
      "###-begin-bruin-completions-###",
      "# bruin completion for zsh: bruin completion zsh >> ~/.zshrc",
      "_bruin_yargs_completions() {",
      "  local reply",
      "  local si=$IFS",
      "  IFS=$'\\n' reply=($(bruin --get-yargs-completions \"${words[@]:1}\"))",
      "  IFS=$si",
      "  if [[ ${#reply} -gt 0 ]]; then _describe 'values' reply; else _default; fi",
      "}",
      "compdef _bruin_yargs_completions bruin",
      "###-end-bruin-completions-###",
    ].join("\n");
  }
  return [
    "###-begin-bruin-completions-###",
    "# bruin completion for fish: bruin completion fish > ~/.config/fish/completions/bruin.fish",
    "complete -c bruin -f -a '(bruin --get-yargs-completions (commandline -opc)[2..-1] (commandline -ct))'",
    "###-end-bruin-completions-###",
  ].join("\n");
}

/** `bruin help run` is `bruin run --help`; `bruin` alone prints the help. */
function expandHelp(argv: readonly string[]): string[] {
  if (argv.length === 0) return ["--help"];
  if (argv[0] === "help") return [...argv.slice(1), "--help"];
  return [...argv];
}

/** A command word that is not a command, with the closest one if one is close. */
async function unknownCommand(argv: readonly string[]): Promise<string | undefined> {
  const [first, second] = argv;
  if (first === undefined) return undefined;
  if (first.startsWith("-")) {
    // Before the command only --help and --version mean something; every other flag belongs after it.
    if (["--help", "-h", "--version", "--get-yargs-completions"].includes(first)) return undefined;
    return `Unknown flag ${first.split("=")[0]} before the command. Usage: bruin <command> [flags]; see 'bruin --help'`;
  }
  const subcommands = COMMANDS[first];
  if (subcommands === undefined) {
    const close = await closestWord(first, Object.keys(COMMANDS));
    return `Unknown command '${first}'.${close ? ` Did you mean '${close}'?` : ""} See 'bruin --help'`;
  }
  if (subcommands.length > 0 && second !== undefined && !second.startsWith("-") && !subcommands.includes(second)) {
    const close = await closestWord(second, subcommands);
    return `Unknown command '${first} ${second}'.${close ? ` Did you mean '${first} ${close}'?` : ""} See 'bruin ${first} --help'`;
  }
  return undefined;
}

/** yargs' own messages, in this CLI's words. */
async function usageMessages(
  message: string,
  argv: readonly string[],
  flags: CommandFlags | undefined,
): Promise<string[]> {
  const unknown = /^Unknown arguments?: (.+)$/s.exec(message);
  if (unknown) return unknownArgumentMessages((unknown[1] ?? "").split(", "), argv, flags);
  const missing = /^Not enough arguments following: (.+)$/.exec(message);
  if (missing) return [`${describeFlag(missing[1] ?? "", flags)} needs a value`];
  if (/^Not enough non-option arguments/.test(message) && flags) return [`missing argument; usage: ${flags.usage}`];
  return [message];
}

/**
 * Parses `argv` (without node and script) and runs the command; resolves to
 * the exit code. Parsing and every check of the flags finish before the
 * command starts: a misspelt flag never runs anything. (yargs would run a
 * command's handler even after its strict check failed, so handlers here only
 * pick the command to run.)
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const words = singleDashLongFlags(expandHelp(argv));
  const badCommand = await unknownCommand(words);
  if (badCommand) {
    io.stderr.write(`Error: ${badCommand}\n`);
    return EXIT.usage;
  }
  let usageFailure: string | undefined;
  let output = "";
  /** The flags of the command being parsed: set by its builder. */
  let flags: CommandFlags | undefined;
  /** The command to run once everything is checked, with the parsed arguments. */
  let selected: { run: () => Promise<number>; args: Record<string, unknown> } | undefined;
  const strictValues = <T>(usage: string, command: Argv<T>): Argv<T> => {
    // A value flag without its value (`-t` at the end, or followed by another flag) is an error, not an empty list.
    command.requiresArg(valueFlags(command));
    flags = flagsOf(command, usage);
    return command;
  };
  const select = (args: Record<string, unknown>, run: () => Promise<number>) => {
    selected = { run, args };
  };
  // yargs re-reads its own arguments to complete the words of a command: give them to it.
  const parser = yargs(words)
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
        strictValues(
          "bruin run [path]",
          withBackendOptions(command)
            .positional("path", {
              type: "string",
              default: ".",
              describe: "pipeline folder, pipeline.yml or asset file",
            })
            .option("workers", { type: "number", default: 16, describe: "tasks run at once" })
            .option("start-date", { type: "string", describe: "interval start (default: yesterday 00:00:00 UTC)" })
            .option("end-date", {
              type: "string",
              describe: "interval end (default: yesterday 23:59:59.999999 UTC; a date alone is 00:00:00 of that day)",
            })
            .option("color", {
              type: "boolean",
              describe:
                "colour even in a pipe (default: on a terminal only; --no-color, NO_COLOR or TERM=dumb turn it off)",
            })
            .option("lock-timeout", {
              type: "number",
              describe: "seconds to wait for a DuckDB file another process holds (default 0: fail at once)",
            })
            .option("timestamp", {
              type: "boolean",
              default: true,
              describe: "timestamps on log lines (--no-timestamp to turn off)",
            })
            .option("full-refresh", {
              alias: "r",
              type: "boolean",
              describe: "rebuild incremental tables from scratch (BRUIN_FULL_REFRESH)",
            })
            .option("apply-interval-modifiers", {
              type: "boolean",
              default: false,
              describe: "shift each asset's interval by its interval_modifiers (not with --full-refresh)",
            })
            .option("tag", {
              alias: "t",
              type: "string",
              describe: "run only the assets with this tag (repeatable, or comma-separated)",
            })
            .option("exclude-tag", {
              alias: "x",
              type: "string",
              describe: "skip the assets with this tag (repeatable, or comma-separated)",
            })
            .option("downstream", {
              type: "boolean",
              default: false,
              describe: "also everything downstream of the asset, or of what --tag, --selector or --modified selected",
            })
            .option("selector", {
              type: "string",
              describe:
                "assets to run: tag:x, path:dir, file:name, fqn:name, +x, x+, n+x, x+n, @x; space = or, comma = and",
            })
            .option("single-check", { type: "string", describe: "with one asset: run only its check with this ID" })
            .option("modified", {
              type: "boolean",
              default: false,
              describe: "only the assets whose files changed against git HEAD (with --downstream: and below them)",
            })
            .option("only", { type: "string", describe: "main, checks, or both (comma-separated)" })
            .option("variant", {
              type: "string",
              describe: "the pipeline variant to run (required when pipeline.yml declares variants)",
            })
            .option("sensor-mode", {
              type: "string",
              default: "once",
              describe:
                "sensor assets: skip (succeed without checking), once (check once) or wait (until met or timed out)",
            })
            .option("continue", {
              type: "boolean",
              default: false,
              describe: "rerun the failed and not-run tasks of the pipeline's last run, with its interval and flags",
            })
            .option("log-file", {
              type: "boolean",
              default: true,
              describe: "write the run's log to logs/ and its state to logs/runs/ (--no-log-file: neither)",
            })
            .option("timeout", {
              type: "number",
              describe:
                "seconds the whole run may take; then its running queries are cancelled and nothing else starts (exit 1; default 604800)",
            })
            .option("force", {
              alias: "f",
              type: "boolean",
              default: false,
              describe: "no confirmation before a run on an environment whose name contains 'prod'",
            })
            .option("mask-credentials", {
              type: "boolean",
              default: true,
              describe: "mask secret values in the output and the run's log (=false: print them, after a warning)",
            })
            .option("query-annotations", {
              type: "string",
              describe:
                "'default' or a JSON object: a -- @bruin.config: comment before each query (BRUIN_QUERY_ANNOTATIONS)",
            })
            .option("backfill-id", { type: "string", describe: "the backfill this run is a partition of (run state)" })
            .option("backfill-total", {
              type: "number",
              describe: "the number of partitions of that backfill (run state)",
            })
            .option("push-metadata", {
              type: "boolean",
              default: false,
              describe: "push metadata to the destination's catalog (BigQuery only: nothing to push on these engines)",
            })
            .option("validation", {
              type: "boolean",
              default: true,
              describe: "validate before running (--no-validation to skip)",
            })
            .option("var", {
              type: "string",
              describe: "pipeline variable, key=value or a JSON object (repeatable; BRUIN_VARS)",
            })
            .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
        ),
      (args) =>
        select(args, async () => {
          const { runCommand } = await import("./commands/run.js");
          return runCommand(
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
              fullRefresh: args.fullRefresh ?? fullRefreshFromEnv(io.env.BRUIN_FULL_REFRESH),
              applyIntervalModifiers: args.applyIntervalModifiers,
              tags: listValues(args.tag),
              excludeTags: listValues(args.excludeTag),
              downstream: args.downstream,
              selector: args.selector,
              singleCheck: args.singleCheck,
              modified: args.modified,
              continue: args.continue,
              noLogFile: !args.logFile,
              timeout: args.timeout,
              force: args.force,
              maskCredentials: args.maskCredentials,
              queryAnnotations: args.queryAnnotations,
              backfillId: args.backfillId,
              backfillTotal: args.backfillTotal,
              pushMetadata: args.pushMetadata,
              only: listValues(args.only),
              sensorMode: args.sensorMode,
              variant: args.variant,
              validation: args.validation,
              vars: repeated(args.var),
              output: args.output,
            },
            backendIO(args, io),
          );
        }),
    )
    .command(
      "validate [path]",
      "Check a pipeline and its connections without running anything",
      (command) =>
        strictValues(
          "bruin validate [path]",
          withBackendOptions(command)
            .positional("path", {
              type: "string",
              default: ".",
              describe: "pipeline folder, pipeline.yml or asset file",
            })
            .option("var", {
              type: "string",
              describe: "pipeline variable, key=value or a JSON object (repeatable; BRUIN_VARS)",
            })
            .option("start-date", { type: "string", describe: "interval start templates are rendered with" })
            .option("end-date", { type: "string", describe: "interval end templates are rendered with" })
            .option("exclude-tag", {
              alias: "x",
              type: "string",
              describe: "skip the assets with this tag (repeatable, or comma-separated)",
            })
            .option("output", {
              alias: "o",
              type: "string",
              default: "plain",
              describe: "plain or json (the reference's issue list)",
            })
            .option("force", {
              alias: "f",
              type: "boolean",
              default: false,
              describe: "accepted as the reference takes it: validate asks no confirmation on a production environment",
            })
            .option("fast", {
              type: "boolean",
              default: false,
              describe: "accepted as the reference takes it: validate runs no query on the warehouse either way",
            })
            .option("exclude-warnings", {
              type: "boolean",
              default: false,
              describe: "accepted as the reference takes it: every problem validate reports is an error",
            }),
        ),
      (args) =>
        select(args, async () => {
          const { validateCommand } = await import("./commands/validate.js");
          return validateCommand(
            {
              ...args,
              path: args.path ?? ".",
              vars: repeated(args.var),
              excludeTags: listValues(args.excludeTag),
            },
            backendIO(args, io),
          );
        }),
    )
    .command("connections", "List and test the connections of a secrets backend", (connections) =>
      connections
        .command(
          "list [path]",
          "List connections: type, name and filled fields (never values)",
          (command) =>
            strictValues(
              "bruin connections list [path]",
              withBackendOptions(command)
                .positional("path", {
                  type: "string",
                  describe: "a pipeline folder or file: .bruin.yml is looked for from there, as run does",
                })
                .option("output", {
                  alias: "o",
                  type: "string",
                  default: "plain",
                  describe: "plain or json",
                }),
            ),
          (args) =>
            select(args, async () => {
              const { connectionsListCommand } = await import("./commands/connections-list.js");
              return connectionsListCommand(args, backendIO(args, io));
            }),
        )
        .command(
          "test [name]",
          "Open one connection and run a trivial query on it",
          (command) =>
            strictValues(
              "bruin connections test <name>",
              withBackendOptions(command)
                .positional("name", { type: "string", describe: "the connection" })
                .option("name", { alias: ["n", "c", "connection"], type: "string", describe: "the connection" })
                .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
            ),
          (args) =>
            select(args, async () => {
              // yargs lets the positional name silently replace a --name flag: two names are refused.
              const flagged = flags ? rawValue(words, "name", flags) : undefined;
              if (flagged !== undefined && flagged !== args.name) {
                throw new UsageError(`name one connection to test, got '${String(args.name)}' and '${flagged}'`);
              }
              const { connectionsTestCommand } = await import("./commands/connections-test.js");
              return connectionsTestCommand(args, backendIO(args, io));
            }),
        )
        .demandCommand(1, "Pass a subcommand: list or test"),
    )
    .command(
      "query",
      "Run one query on a connection, or an asset's query on its connection",
      (command) =>
        strictValues(
          "bruin query",
          withBackendOptions(command)
            .option("connection", { alias: "c", type: "string", describe: "the connection to query" })
            .option("query", { alias: "q", type: "string", describe: "the SQL to run" })
            .option("asset", { type: "string", describe: "an asset file: run its rendered query on its connection" })
            .option("output", { alias: "o", type: "string", default: "plain", describe: "plain, json or csv" })
            .option("limit", { alias: "l", type: "number", describe: "at most this many rows" })
            .option("start-date", { type: "string", describe: "interval start the query's template sees" })
            .option("end-date", { type: "string", describe: "interval end the query's template sees" })
            .option("var", {
              type: "string",
              describe: "variable for the template, key=value or a JSON object (repeatable; BRUIN_VARS)",
            })
            .option("export", { type: "string", describe: "write the rows to this CSV file instead of printing them" })
            .option("split-rows", { type: "number", describe: "with --export: at most N rows a file (FILE_1.csv, …)" })
            .option("timeout", {
              alias: "t",
              type: "number",
              describe: "seconds before the query is cancelled on its engine (exit 1)",
            })
            .option("pipeline", {
              type: "string",
              describe: "with --connection and --query: the pipeline whose variables and config the query uses",
            })
            .option("semantic-model", { type: "string", describe: "semantic layer (not supported yet)" })
            .option("dimension", { type: "string", hidden: true })
            .option("metric", { type: "string", hidden: true })
            .option("filter", { type: "string", hidden: true })
            .option("segment", { type: "string", hidden: true })
            .option("sort", { type: "string", hidden: true }),
        ),
      (args) =>
        select(args, async () => {
          const { queryCommand } = await import("./commands/query.js");
          const semantic = SEMANTIC_QUERY_FLAGS.filter((flag) => args[flag] !== undefined);
          if (semantic.length > 0) {
            throw new UsageError(
              `the semantic layer (${semantic.map((flag) => `--${flag}`).join(", ")}) is not supported yet`,
            );
          }
          return queryCommand({ ...args, vars: repeated(args.var) }, backendIO(args, io));
        }),
    )
    .command(
      "render <path>",
      "Print an asset's query rendered as run renders it, wrapped in its materialization",
      (command) =>
        strictValues(
          "bruin render <path>",
          withBackendOptions(command)
            .positional("path", { type: "string", describe: "the asset file" })
            .option("raw-query", { type: "boolean", default: false, describe: "only the rendered query" })
            .option("apply-interval-modifiers", {
              type: "boolean",
              default: false,
              describe: "render with the asset's interval_modifiers applied (not with --full-refresh)",
            })
            .option("full-refresh", {
              alias: "r",
              type: "boolean",
              describe: "show the rebuild --full-refresh runs (BRUIN_FULL_REFRESH)",
            })
            .option("var", {
              type: "string",
              describe: "pipeline variable, key=value or a JSON object (repeatable; BRUIN_VARS)",
            })
            .option("start-date", { type: "string", describe: "interval start (default: yesterday 00:00:00 UTC)" })
            .option("end-date", {
              type: "string",
              describe: "interval end (default: yesterday 23:59:59.999999 UTC; a date alone is 00:00:00 of that day)",
            })
            .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
        ),
      (args) =>
        select(args, async () => {
          const { renderCommand } = await import("./commands/render.js");
          return renderCommand(
            {
              ...args,
              path: String(args.path),
              vars: repeated(args.var),
              fullRefresh: args.fullRefresh ?? fullRefreshFromEnv(io.env.BRUIN_FULL_REFRESH),
            },
            backendIO(args, io),
          );
        }),
    )
    .command(
      "render-ddl <path>",
      "Print the CREATE TABLE statement of a SQL asset from its declared columns (the ddl strategy)",
      (command) =>
        strictValues(
          "bruin render-ddl <path>",
          command
            .positional("path", { type: "string", describe: "the asset file" })
            .option("apply-interval-modifiers", {
              type: "boolean",
              default: false,
              describe: "render with the asset's interval_modifiers applied",
            })
            .option("var", {
              type: "string",
              describe: "pipeline variable, key=value or a JSON object (repeatable; BRUIN_VARS)",
            })
            .option("start-date", { type: "string", describe: "interval start (default: yesterday 00:00:00 UTC)" })
            .option("end-date", { type: "string", describe: "interval end (default: yesterday 23:59:59.999999 UTC)" })
            .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
        ),
      (args) =>
        select(args, async () => {
          const { renderDdlCommand } = await import("./commands/render-ddl.js");
          return renderDdlCommand({ ...args, path: String(args.path), vars: repeated(args.var) }, io);
        }),
    )
    .command("internal", "Commands editors and tools call: parse-*, patch-*, connections", (internal) =>
      internal
        .command(
          "parse-pipeline <path>",
          "The whole pipeline as JSON",
          (command) =>
            strictValues(
              "bruin internal parse-pipeline <path>",
              command
                .positional("path", { type: "string", describe: "the pipeline folder or any file of it" })
                .option("column-lineage", {
                  alias: "c",
                  type: "boolean",
                  describe: "add column lineage: the upstream columns of each SQL asset's columns",
                })
                .option("variant", { type: "string", describe: "the pipeline variant whose variables apply" }),
            ),
          (args) =>
            select(args, async () => {
              const { parsePipelineCommand } = await import("./commands/internal.js");
              return parsePipelineCommand({ ...args, path: String(args.path) }, io);
            }),
        )
        .command(
          "parse-asset <path>",
          "One asset as JSON, with its pipeline's name and schedule",
          (command) =>
            strictValues(
              "bruin internal parse-asset <path>",
              command
                .positional("path", { type: "string", describe: "the asset file" })
                .option("column-lineage", {
                  alias: "c",
                  type: "boolean",
                  describe: "add column lineage (after its upstreams'); lineage_issues lists the queries not parsed",
                })
                .option("variant", { type: "string", describe: "the pipeline variant whose variables apply" }),
            ),
          (args) =>
            select(args, async () => {
              const { parseAssetCommand } = await import("./commands/internal.js");
              return parseAssetCommand({ ...args, path: String(args.path) }, io);
            }),
        )
        .command(
          "patch-asset <path>",
          "Set fields of an asset's definition from a JSON body, keeping the rest of the file",
          (command) =>
            strictValues(
              "bruin internal patch-asset <path> --body JSON",
              command
                .positional("path", { type: "string", describe: "the asset file" })
                .option("body", {
                  type: "string",
                  describe: "a JSON object: the fields to set, as parse-asset names them",
                })
                .option("convert", {
                  type: "boolean",
                  default: false,
                  describe: "make a plain SQL or Python file an asset (a @bruin header)",
                }),
            ),
          (args) =>
            select(args, async () => {
              const { patchAssetCommand } = await import("./commands/patch.js");
              return patchAssetCommand({ path: args.path, body: args.body, convert: args.convert }, io);
            }),
        )
        .command(
          "patch-pipeline <path>",
          "Set fields of pipeline.yml from a JSON body, keeping the rest of the file",
          (command) =>
            strictValues(
              "bruin internal patch-pipeline <path> --body JSON",
              command
                .positional("path", { type: "string", describe: "the pipeline.yml, or the pipeline folder" })
                .option("body", {
                  type: "string",
                  describe: "a JSON object: the fields to set, as parse-pipeline names them",
                }),
            ),
          (args) =>
            select(args, async () => {
              const { patchPipelineCommand } = await import("./commands/patch.js");
              return patchPipelineCommand({ path: args.path, body: args.body }, io);
            }),
        )
        .command(
          "connections",
          "Every connection type and its fields, as a JSON Schema",
          (command) => strictValues("bruin internal connections", command),
          (args) =>
            select(args, async () => {
              const { connectionSchemasCommand } = await import("./commands/internal.js");
              return connectionSchemasCommand(io);
            }),
        )
        .demandCommand(1, "Pass a subcommand: parse-pipeline, parse-asset, patch-asset, patch-pipeline or connections"),
    )
    .command("patch", "Update asset definitions: fill-asset-dependencies, fill-columns-from-db", (patch) =>
      patch
        .command(
          "fill-asset-dependencies [path]",
          "Add the assets a query reads to its depends (an asset file, or every asset of a pipeline)",
          (command) =>
            strictValues(
              "bruin patch fill-asset-dependencies [path]",
              command
                .positional("path", { type: "string", describe: "an asset file or a pipeline folder" })
                .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
            ),
          (args) =>
            select(args, async () => {
              const { fillAssetDependenciesCommand } = await import("./commands/patch.js");
              return fillAssetDependenciesCommand({ path: args.path, output: args.output }, io);
            }),
        )
        .command(
          "fill-columns-from-db [path]",
          "Add the columns the asset's table has in the database to its columns (an asset file, or a pipeline)",
          (command) =>
            strictValues(
              "bruin patch fill-columns-from-db [path]",
              withBackendOptions(command)
                .positional("path", { type: "string", describe: "an asset file or a pipeline folder" })
                .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
            ),
          (args) =>
            select(args, async () => {
              const { fillColumnsFromDbCommand } = await import("./commands/fill-columns.js");
              return fillColumnsFromDbCommand({ ...args, path: args.path, output: args.output }, backendIO(args, io));
            }),
        )
        .demandCommand(1, "Pass a subcommand: fill-asset-dependencies or fill-columns-from-db"),
    )
    .command(
      "format [path]",
      "Rewrite asset headers into their canonical form (--fail-if-changed: only check)",
      (command) =>
        strictValues(
          "bruin format [path]",
          command
            .positional("path", { type: "string", default: ".", describe: "an asset file, or a folder to search" })
            .option("fail-if-changed", {
              alias: "check",
              type: "boolean",
              default: false,
              describe: "change nothing; exit 1 naming the files that would change",
            })
            .option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
        ),
      (args) =>
        select(args, async () => {
          const { formatCommand } = await import("./commands/format.js");
          return formatCommand({ path: args.path ?? ".", failIfChanged: args.failIfChanged, output: args.output }, io);
        }),
    )
    .command(
      "init [template] [folder]",
      "Create a pipeline from a template (default, duckdb, python) and its .bruin.yml",
      (command) =>
        strictValues(
          "bruin init [template] [folder]",
          command
            .positional("template", { type: "string", describe: "default, duckdb or python" })
            .positional("folder", { type: "string", describe: "the pipeline folder (default: per template)" })
            .option("in-place", {
              type: "boolean",
              default: false,
              describe: "outside a repository: the project is the current folder, not a new bruin/ folder",
            }),
        ),
      (args) =>
        select(args, async () => {
          const { initCommand } = await import("./commands/init.js");
          return initCommand({ template: args.template, folder: args.folder, inPlace: args.inPlace }, io);
        }),
    )
    .command(
      "version",
      "Print the version of bruin (with -o json, also of Node.js and the platform)",
      (command) =>
        strictValues(
          "bruin version",
          command.option("output", { alias: "o", type: "string", default: "plain", describe: "plain or json" }),
        ),
      (args) =>
        select(args, async () => {
          if (args.output === "json") {
            io.stdout.write(
              `${JSON.stringify({ version: VERSION, node: process.version, platform: `${process.platform}-${process.arch}` }, null, 2)}\n`,
            );
          } else if (args.output === "plain") io.stdout.write(`${VERSION}\n`);
          else throw new UsageError(`unsupported output '${args.output}'; possible values: plain, json`);
          return EXIT.ok;
        }),
    )
    .command(
      "completion <shell>",
      "Print a shell completion script: bash, zsh or fish (see the README to install it)",
      (command) =>
        strictValues(
          "bruin completion <bash|zsh|fish>",
          command.positional("shell", { type: "string", describe: "bash, zsh or fish" }),
        ),
      (args) =>
        select(args, async () => {
          const shell = String(args.shell);
          if (!["bash", "zsh", "fish"].includes(shell))
            throw new UsageError(`unsupported shell '${shell}'; possible values: bash, zsh, fish`);
          io.stdout.write(`${completionScript(shell)}\n`);
          return EXIT.ok;
        }),
    )
    .command("help [command..]", "Show the help of a command, as <command> --help does")
    .demandCommand(1, "Pass a command, e.g. 'bruin run examples/quickstart'")
    .fail((message, error) => {
      usageFailure = error?.message ?? message;
      // Stops yargs here: nothing after a failed check may run.
      throw new UsageError(usageFailure);
    });

  try {
    await parser.parseAsync(words, {}, (_error, _args, text) => {
      // Completing a command's words parses again inside this parse: keep the text either one printed.
      if (text) output = text;
    });
  } catch (error) {
    usageFailure ??= error instanceof Error ? error.message : String(error);
  }
  if (usageFailure === undefined && selected && flags) {
    const problems = valueProblems(words, selected.args, flags);
    if (problems.length > 0) usageFailure = problems.join("\n");
  }
  if (usageFailure !== undefined) {
    const lines = usageFailure.includes("\n")
      ? usageFailure.split("\n")
      : await usageMessages(usageFailure, words, flags);
    const hint = `See '${flags ? `${flags.usage.split(" [")[0]?.split(" <")[0]} --help` : "bruin --help"}'.`;
    if (words[0] === "run" && asksForJson(words)) {
      // A script reading `run -o json` gets its error document on stdout, with totals, like every other failure.
      await printRunErrorDocument(io, [...lines.map((line) => `Error: ${line}`), hint], EXIT.usage);
      return EXIT.usage;
    }
    for (const line of lines) io.stderr.write(`Error: ${line}\n`);
    io.stderr.write(`${hint}\n`);
    return EXIT.usage;
  }
  // Help, version and shell completion (`--get-yargs-completions`) print and run nothing.
  if (output || !selected || words.includes("--get-yargs-completions")) {
    if (output) io.stdout.write(`${output}\n`);
    return EXIT.ok;
  }
  try {
    const exitCode = await selected.run();
    // Output that could not be masked was suppressed: a command whose output was lost did not succeed.
    return exitCode === EXIT.ok && outputSuppressed(io) ? EXIT.failed : exitCode;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`Error: ${error.message}\n`);
    return EXIT.usage;
  }
}

/** Whether the words ask for JSON output (`-o json`, `--output json`, `--output=json`, `-o=json`), even when they fail to parse. */
function asksForJson(words: readonly string[]): boolean {
  return words.some(
    (word, i) =>
      ((word === "-o" || word === "--output") && words[i + 1] === "json") ||
      word === "--output=json" ||
      word === "-o=json" ||
      word === "-ojson",
  );
}

/** The JSON error document `run -o json` prints for a failure before the run started; the lines also go to stderr. */
async function printRunErrorDocument(io: CliIO, lines: string[], exitCode: number): Promise<void> {
  const [{ JsonRenderer }, { Printer }, { Redactor }] = await Promise.all([
    import("./render/json.js"),
    import("./io.js"),
    import("@bruin-ts/secrets-core"),
  ]);
  new JsonRenderer(new Printer(io, new Redactor(), { color: false })).fail(lines, exitCode);
}
