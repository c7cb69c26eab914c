import type { Dialect } from "@bruin-ts/connections";
import { engineForDialect } from "./engines/index.js";
import type { IncrementalInput, IncrementalPlan } from "./engines/engine.js";

export type { IncrementalInput, IncrementalPlan } from "./engines/engine.js";

/**
 * The statements of an incremental strategy on the dialect's engine (see
 * `AnsiIncremental` and the engine modules that override it). Throws for an
 * engine that runs no incremental strategy.
 */
export function incrementalPlan(dialect: Dialect, input: IncrementalInput): IncrementalPlan {
  const engine = engineForDialect(dialect);
  if (!engine.incremental) throw new Error(engine.strategyNotSupported(input.strategy));
  return engine.incremental.plan(input);
}
