import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inCancelScope } from "../cancel-scope.js";
import { openConnection } from "../open.js";
import { validateConnection } from "../validate.js";

const SLOW = "SELECT sum(a.range * b.range) AS n FROM range(200000) a, range(200000) b";

describe("DuckDB cancel with a scope", () => {
  it("interrupts the running statement only when it was started in that scope", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "bruin-duckdb-scope-")), "db.duckdb");
    const adapter = await openConnection(
      validateConnection({ name: "scoped", type: "duckdb", details: { path: file } }),
    );
    try {
      const mine = {};
      const other = {};
      const outcome = inCancelScope(mine, () => adapter.query(SLOW)).then(
        () => "finished",
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Another scope's cancel leaves it running.
      await adapter.cancel!(other);
      const still = await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve("running"), 300))]);
      expect(still).toBe("running");
      await adapter.cancel!(mine);
      expect(await outcome).toMatch(/interrupt/i);
      expect((await adapter.query("SELECT 42 AS answer")).rows).toEqual([{ answer: 42 }]);
    } finally {
      await adapter.close();
    }
  });
});
