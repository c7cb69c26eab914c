import type { FaultRule, RequestKind } from "./types.js";

/** The fault chosen for one request: what the server does instead of (or before) answering normally. */
export interface Fault {
  drop: boolean;
  /** An error status to answer with. */
  status?: number | undefined;
  /** For 429: undefined = no Retry-After at all. */
  retryAfterSeconds?: number | undefined;
  delayMs: number;
  hugeValueBytes?: number | undefined;
}

/**
 * Injected faults, applied in the order they were added. Each request uses
 * up one `count` of the first rule that matches its kind; a used-up rule is
 * removed.
 */
export class FaultPlan {
  private rules: Array<{ rule: FaultRule; remaining: number }> = [];

  add(rule: FaultRule): void {
    if (!rule.drop && rule.status === undefined && rule.delayMs === undefined && rule.hugeValueBytes === undefined) {
      throw new TypeError("A fault rule needs a status, drop: true, delayMs or hugeValueBytes");
    }
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
    const { rule } = entry;
    return {
      drop: rule.drop === true,
      status: rule.status,
      retryAfterSeconds: rule.omitRetryAfter ? undefined : (rule.retryAfterSeconds ?? 1),
      delayMs: rule.delayMs ?? 0,
      hugeValueBytes: rule.hugeValueBytes,
    };
  }
}
