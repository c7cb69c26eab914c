import path from "node:path";
import type { Asset } from "@bruin-ts/pipeline";
import { Redactor, isSecretsError } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { intervalFrom } from "../interval.js";
import { Printer, type CliIO } from "../io.js";
import { missingDriverProblems, pipelineProblems, prepareRun } from "../prepare.js";
import { openSession, reportFatal, type BackendFlags } from "../session.js";

export interface ValidateCommandOptions extends BackendFlags {
  path: string;
  vars?: string[] | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  /** Assets with any of these tags are not validated (nor their own problems reported). */
  excludeTags?: string[] | undefined;
  output?: string | undefined;
}

/** One problem as the reference's `validate -o json` lists it. */
interface JsonIssue {
  asset: string;
  description: string;
  context: string[];
  severity: "critical" | "warning";
}

/** The asset a problem is about: named as `asset 'x'` or by its file; undefined for the pipeline as a whole. */
function assetOf(issue: string, assets: readonly Asset[]): Asset | undefined {
  const named = /^asset '([^']+)'/.exec(issue)?.[1];
  if (named !== undefined) return assets.find((asset) => asset.name === named);
  return assets.find((asset) => {
    const relative = path.relative(process.cwd(), asset.path);
    return issue.startsWith(`${asset.path}:`) || issue.startsWith(`${relative}:`) || issue.includes(`(${relative})`);
  });
}

/** A file a problem starts with (`assets/x.sql:3: …`), for problems of files that did not load as assets. */
function fileOf(issue: string): string | undefined {
  return /^([^\s:'][^:]*\.(?:sql|py|r|R|ya?ml)):\d+:/.exec(issue)?.[1];
}

/** The description the reference gives a problem: without the asset's name, which is its key. */
function describe(issue: string, asset: Asset): string {
  // A policy rule's problem: the reference lists the rule's description alone.
  const policy = /^asset '[^']+': (.*) \(policy:[A-Za-z0-9-]+:[A-Za-z0-9-]+\)$/s.exec(issue);
  if (policy) return policy[1]!;
  const missing = new RegExp(`^asset '[^']+'(?: \\([^)]*\\))? depends on '([^']+)', which does not exist$`).exec(issue);
  if (missing) return `Dependency '${missing[1]}' does not exist`;
  const prefix = `asset '${asset.name}': `;
  if (issue.startsWith(prefix)) return issue.slice(prefix.length);
  // A problem naming the asset's file too: `asset 'a' (assets/a.sql): ...`.
  const named = `asset '${asset.name}' (`;
  const end = issue.startsWith(named) ? issue.indexOf("): ", named.length) : -1;
  return end >= 0 ? issue.slice(end + 3) : issue;
}

/**
 * `bruin validate`: everything `run` checks before it starts — asset types,
 * dependencies, cycles, materializations, templates, variables, and every
 * connection through the chosen backend — without opening a database.
 */
export async function validateCommand(options: ValidateCommandOptions, io: CliIO): Promise<number> {
  const printer = new Printer(io, new Redactor(), { color: false });
  try {
    const interval = intervalFrom(options, io.env);
    // The same preparation and checks as `bruin run` (prepare.ts), so the two cannot drift apart.
    if (!["plain", "json"].includes(options.output ?? "plain")) {
      throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
    }
    const prepared = await prepareRun({ ...options, collectIssues: true }, io, interval);
    const { pipeline, assets } = prepared;
    const selected = new Set(assets);
    const singleFile = prepared.selectedAsset !== undefined;
    // Load problems of assets not validated (another file, an excluded tag) are not this validation's.
    const loadIssues = [...new Set(prepared.loadIssues)].filter((issue) => {
      const asset = assetOf(issue, pipeline.assets);
      if (asset) return selected.has(asset);
      const file = fileOf(issue);
      return !(singleFile && file !== undefined && path.resolve(file) !== prepared.selectedAsset?.path);
    });
    const session = await openSession(options, io, printer, pipeline.dir);
    // A connection the backend cannot provide is a configuration (2) or secrets backend (3) failure, as in
    // `run`; a problem of the pipeline itself (1) comes first, as `run` checks the pipeline first.
    let backendExit: number = EXIT.ok;
    const backendMessages: string[] = [];
    try {
      const resolveConnection = async (name: string) => {
        try {
          const connection = await session.connections.resolve(name);
          // A driver package that is not installed: a setup problem (exit 2), as `run` reports it.
          const [missing] = await missingDriverProblems([connection]);
          if (missing !== undefined) {
            backendExit = Math.max(backendExit, EXIT.usage);
            backendMessages.push(missing);
            throw new Error(missing);
          }
          return connection;
        } catch (error) {
          // A backend error says which connection and why, in one line, without values.
          const message = isSecretsError(error) ? error.describe() : String((error as Error).message ?? error);
          if (isSecretsError(error)) {
            backendExit = Math.max(backendExit, error.exitCode);
            backendMessages.push(message);
          }
          throw new Error(message);
        }
      };
      const issues = [...new Set([...loadIssues, ...(await pipelineProblems(prepared, resolveConnection))])];
      // The connections code assets ask for in `secrets:` are resolved too, as `run` resolves them.
      const assetConnections = new Set(prepared.lib.connectionNames(assets));
      for (const name of prepared.connectionNames.filter((name) => !assetConnections.has(name))) {
        await resolveConnection(name).catch((error: Error) =>
          issues.push(`connection '${name}' (asked for in secrets:): ${error.message}`),
        );
      }
      // Ctrl-C while connections were resolved: exit 130, not a list of "interrupted" problems.
      session.connections.throwIfInterrupted();
      if (options.output === "json") {
        // The reference's shape: one entry per pipeline, its problems by asset name. A problem of no
        // asset (pipeline.yml, a file that did not load) has no place there: it goes to stderr.
        const byAsset: Record<string, JsonIssue[]> = {};
        const unplaced: string[] = [];
        for (const issue of issues) {
          const asset = assetOf(issue, pipeline.assets);
          if (!asset) unplaced.push(issue);
          else
            (byAsset[asset.name] ??= []).push({
              asset: asset.name,
              description: describe(issue, asset),
              context: [],
              severity: "critical",
            });
        }
        const sorted = Object.fromEntries(Object.entries(byAsset).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        printer.out(JSON.stringify([{ pipeline: pipeline.name, issues: sorted }], null, 2));
        for (const issue of unplaced) printer.err(`Error: ${issue}`);
        // As the reference: listed problems exit 0 (the list is the answer); others still fail the command.
        if (unplaced.length === 0) return EXIT.ok;
        const onlyBackend = unplaced.every((issue) => backendMessages.some((message) => issue.includes(message)));
        return backendExit !== EXIT.ok && onlyBackend ? backendExit : EXIT.failed;
      }
      if (issues.length === 0) {
        // As the reference counts them: every asset of the pipeline, "assets" whatever the number.
        printer.out(`✓ Successfully validated ${pipeline.assets.length} assets across 1 pipeline, all good.`);
        return EXIT.ok;
      }
      printer.out(
        `✗ Found ${issues.length} problem${issues.length === 1 ? "" : "s"} in pipeline '${pipeline.name || path.relative(io.cwd, pipeline.file)}':`,
      );
      for (const issue of issues) printer.out(`  - ${issue}`);
      const onlyBackend = issues.every((issue) => backendMessages.some((message) => issue.includes(message)));
      return backendExit !== EXIT.ok && onlyBackend ? backendExit : EXIT.failed;
    } finally {
      await session.close();
    }
  } catch (error) {
    return reportFatal(error, printer, options.verbose);
  }
}
