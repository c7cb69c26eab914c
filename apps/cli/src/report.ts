import { isSecretsError } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "./errors.js";

/** The lines that explain a failure that ends a command, and the exit code it calls for. */
export function failureLines(error: unknown, verbose: boolean): { lines: string[]; exitCode: number } {
  if (error instanceof UsageError) return { lines: [`Error: ${error.message}`], exitCode: error.exitCode };
  if (isSecretsError(error)) {
    const lines = [`Error: ${error.describe()}`];
    if (verbose && error.detail) lines.push(`  ${error.detail}`);
    return { lines, exitCode: error.exitCode };
  }
  const issues = (error as { issues?: unknown }).issues;
  const code = (error as { exitCode?: unknown }).exitCode;
  const exitCode = typeof code === "number" ? code : EXIT.failed;
  if (error instanceof Error && Array.isArray(issues) && issues.length > 0) {
    return { lines: problemLines(issues.map(String)), exitCode };
  }
  const lines = [`Error: ${error instanceof Error ? error.message : String(error)}`];
  if (verbose && error instanceof Error && error.stack) lines.push(error.stack);
  return { lines, exitCode };
}

/** Every problem of a pipeline, each once: one line for one, a list for several. */
export function problemLines(issues: readonly string[]): string[] {
  if (issues.length === 1) return [`Error: ${issues[0]}`];
  return [`Error: the pipeline has ${issues.length} problems:`, ...issues.map((issue) => `  - ${issue}`)];
}
