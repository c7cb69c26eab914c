import { DIALECTS } from "@bruin-ts/connections";
import { AnsiEngine } from "./ansi.js";
import { AnsiIncremental, type MergeParts } from "./ansi-incremental.js";
import type { IncrementalPlan, IncrementalStrategy, ValueKind } from "./engine.js";
import { ALL_CHECKS, CLASSIC_STRATEGIES } from "./lists.js";

/** Redshift merges with UPDATE ... FROM the temp table, then INSERT of the new keys. */
class RedshiftIncremental extends AnsiIncremental {
  override readonly strategies: readonly IncrementalStrategy[] = [
    "append",
    "delete+insert",
    "truncate+insert",
    "merge",
  ];

  protected override merge(m: MergeParts): IncrementalPlan {
    if (m.input.asset.materialization?.incrementalPredicate) {
      // As the reference: Redshift's MERGE takes only equality conditions, so the predicate is refused here too.
      throw new Error(`asset '${m.input.asset.name}': 'incremental_predicate' is not supported on redshift`);
    }
    return this.updateThenInsert(
      m,
      (u) =>
        `UPDATE ${u.target} AS target SET ${u.updates.map((x) => `${x.column} = ${x.value}`).join(", ")} FROM ${u.scratch} AS source WHERE ${u.on}`,
    );
  }
}

/** Redshift: PostgreSQL's SQL (and adapter), without MERGE. */
export class RedshiftEngine extends AnsiEngine {
  override readonly assetTypes = ["rs.sql"];
  override readonly defaultConnection = "redshift-default";
  override readonly incremental: AnsiIncremental = new RedshiftIncremental(this);

  constructor() {
    super(DIALECTS.redshift, { regex: true, scripts: true, strategies: CLASSIC_STRATEGIES, checks: ALL_CHECKS });
  }

  override patternMismatch(text: string, pattern: string): string {
    return `${text} !~ ${pattern}`;
  }

  override valueType(kind: ValueKind): string {
    return kind === "float" ? "DOUBLE PRECISION" : super.valueType(kind);
  }
}

export const redshift = new RedshiftEngine();
