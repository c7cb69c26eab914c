import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openConnection } from "../open.js";
import { validateConnection } from "../validate.js";

describe("DuckDB cancel", () => {
  it("interrupts the running statement, which rejects, and the connection stays usable", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "bruin-duckdb-cancel-")), "db.duckdb");
    const adapter = await openConnection(
      validateConnection({ name: "cancel-me", type: "duckdb", details: { path: file } }),
    );
    try {
      const started = performance.now();
      const slow = adapter.query("SELECT sum(a.range * b.range) AS n FROM range(200000) a, range(200000) b");
      const outcome = slow.then(
        () => "finished",
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await adapter.cancel!();
      expect(await outcome).toMatch(/interrupt/i);
      expect(performance.now() - started).toBeLessThan(5000);
      expect((await adapter.query("SELECT 42 AS answer")).rows).toEqual([{ answer: 42 }]);
    } finally {
      await adapter.close();
    }
  });

  it("does nothing when nothing runs", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "bruin-duckdb-cancel-")), "db.duckdb");
    const adapter = await openConnection(validateConnection({ name: "idle", type: "duckdb", details: { path: file } }));
    try {
      await adapter.cancel!();
      expect((await adapter.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await adapter.close();
    }
  });
});
