import type { FaultRule, RequestKind } from "./types.js";

/** The fault chosen for one request. */
export type Fault = { drop: true } | { drop: false; status: number; retryAfterSeconds: number };

/**
 * Injected faults, applied in the order they were added. Each request uses
 * up one `count` of the first rule that matches its kind; a used-up rule is
 * removed.
 */
export class FaultPlan {
  private rules: Array<{ rule: FaultRule; remaining: number }> = [];

  add(rule: FaultRule): void {
    if (!rule.drop && rule.status === undefined) throw new TypeError("A fault rule needs a status or drop: true");
    if (!(rule.count > 0)) throw new TypeError("A fault rule needs a count above 0");
    this.rules.push({ rule: { ...rule }, remaining: rule.count });
  }

  clear(): void {
    this.rules = [];
  }

  take(kind: RequestKind | "other"): Fault | undefined {
    const index = this.rules.findIndex(({ rule }) => (rule.match ?? "any") === "any" || rule.match === kind);
    const entry = this.rules[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.rules.splice(index, 1);
    if (entry.rule.drop) return { drop: true };
    return { drop: false, status: entry.rule.status ?? 500, retryAfterSeconds: entry.rule.retryAfterSeconds ?? 1 };
  }
}
