import { EXIT_CODES } from "@bruin-ts/secrets-core";

/**
 * A pipeline that cannot be loaded or validated. Every problem found is kept
 * (one line each) so a user fixes them all in one go instead of one per run.
 */
export class PipelineError extends Error {
  readonly issues: string[];
  readonly exitCode = EXIT_CODES.failed;

  constructor(issues: string[] | string) {
    const list = typeof issues === "string" ? [issues] : issues;
    super(list.length === 1 ? list[0]! : `${list.length} problems found:\n${list.map((i) => `- ${i}`).join("\n")}`);
    this.name = "PipelineError";
    this.issues = list;
  }
}

/**
 * Flags that contradict each other or select nothing (`--downstream` without
 * a single asset, `--tag` with one, a tag no asset carries, a bad `--only`):
 * a usage problem, so exit code 2.
 */
export class SelectionError extends Error {
  readonly exitCode = EXIT_CODES.usage;

  constructor(message: string) {
    super(message);
    this.name = "SelectionError";
  }
}

/** A malformed `--var` / `BRUIN_VARS`, or a variable the pipeline does not declare: exit code 2. */
export class VariableError extends Error {
  readonly exitCode = EXIT_CODES.usage;

  constructor(message: string) {
    super(message);
    this.name = "VariableError";
  }
}
