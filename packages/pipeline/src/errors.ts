/**
 * A pipeline that cannot be loaded or validated. Every problem found is kept
 * (one line each) so a user fixes them all in one go instead of one per run.
 */
export class PipelineError extends Error {
  readonly issues: string[];
  readonly exitCode = 1;

  constructor(issues: string[] | string) {
    const list = typeof issues === "string" ? [issues] : issues;
    super(list.length === 1 ? list[0]! : `${list.length} problems found:\n${list.map((i) => `- ${i}`).join("\n")}`);
    this.name = "PipelineError";
    this.issues = list;
  }
}
