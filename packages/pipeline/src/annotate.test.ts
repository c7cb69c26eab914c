import { describe, expect, it } from "vitest";
import type { ConnectionAdapter } from "@bruin-ts/connections";
import { withStatementPrefix } from "./annotate.js";

class Recorder {
  readonly seen: string[] = [];
  readonly name = "rec";
  async query(sql: string) {
    this.seen.push(`query:${sql}`);
    return { columns: [], rows: [] };
  }
  async exec(sql: string) {
    this.seen.push(`exec:${sql}`);
  }
  async transaction(statements: readonly string[]) {
    for (const sql of statements) this.seen.push(`tx:${sql}`);
  }
  async cancel(scope?: object) {
    this.seen.push(`cancel:${scope ? "scoped" : "all"}`);
  }
}

describe("withStatementPrefix", () => {
  it("puts the prefix before each statement and leaves the rest to the adapter (a class instance too)", async () => {
    const recorder = new Recorder();
    const adapter = withStatementPrefix(recorder as unknown as ConnectionAdapter, "-- note\n");
    await adapter.query("SELECT 1");
    await adapter.exec("CREATE TABLE t (x INT)");
    await adapter.transaction(["DELETE FROM t", "INSERT INTO t VALUES (1)"]);
    await adapter.cancel!({});
    expect(adapter.name).toBe("rec");
    expect(recorder.seen).toEqual([
      "query:-- note\nSELECT 1",
      "exec:-- note\nCREATE TABLE t (x INT)",
      "tx:-- note\nDELETE FROM t",
      "tx:-- note\nINSERT INTO t VALUES (1)",
      "cancel:scoped",
    ]);
  });
});
