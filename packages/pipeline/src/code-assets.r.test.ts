import { describe, expect, it } from "vitest";
import { DuckDBPipeline, errorOf, statuses } from "./test-support/duckdb-run.js";

/** An R asset file: the `"@bruin … @bruin"` header, then the script. */
const rAsset = (header: string, script: string) => `"@bruin\n${header}\n@bruin"\n\n${script}\n`;

// Rscript comes from Debian's r-base-core, which .ci/run installs.
describe("R assets", () => {
  it("run with Rscript from their folder, with the built-in variables and their secrets; a failure stops the downstream", async () => {
    const p = new DuckDBPipeline("name: rpipe\n").write({
      "assets/r/show.R": rAsset(
        "name: show\ntype: r\nsecrets:\n  - key: api\n    inject_as: API_TOKEN",
        'cat(basename(getwd()), Sys.getenv("BRUIN_ASSET"), Sys.getenv("BRUIN_PIPELINE"), Sys.getenv("BRUIN_START_DATE"), Sys.getenv("API_TOKEN"), "\\n")\nmessage("to stderr")',
      ),
      "assets/fail.r": rAsset("name: fail\ntype: r", 'cat("before\\n")\nstop("broken on purpose")'),
      "assets/after.r": rAsset("name: after\ntype: r\ndepends: [fail]", 'cat("never\\n")'),
    });
    const lines: string[] = [];
    const result = await p.run({
      code: {
        resolveSecret: async (name) => ({ name, type: "generic", details: { value: "r-token-1" } }),
        onOutput: (task, stream, line) => lines.push(`${task.id} ${stream}: ${line}`),
      },
    });
    expect(statuses(result)).toEqual({ show: "succeeded", fail: "failed", after: "upstream_failed" });
    expect(lines).toContain("show stdout: r show rpipe 2024-03-05 r-token-1 ");
    expect(lines).toContain("show stderr: to stderr");
    expect(errorOf(result, "fail")).toMatch(/^Rscript exited with code 1:\nbefore\nError: broken on purpose/);
  });

  it("time out like Python assets", async () => {
    const p = new DuckDBPipeline().write({
      "assets/slow.r": rAsset("name: slow\ntype: r\ntimeout: 1s", 'cat("started\\n")\nSys.sleep(60)'),
    });
    const started = Date.now();
    const result = await p.run({ code: { graceMs: 500 } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(errorOf(result, "slow")).toBe("asset 'slow' timed out after 1s and was stopped");
  });

  it("restore the nearest renv.lock first, and fail with Rscript's words when it cannot be restored", async () => {
    const p = new DuckDBPipeline().write({
      "assets/renv.lock": '{"R": {"Version": "4.2.2"}, "Packages": {}}\n',
      "assets/deep/uses.r": rAsset("name: uses\ntype: r", 'cat("ran\\n")'),
    });
    const lines: string[] = [];
    const result = await p.run({ code: { onOutput: (_task, _stream, line) => lines.push(line) } });
    // Debian has no renv package: the restore is attempted, and its failure is the asset's.
    expect(statuses(result)).toEqual({ uses: "failed" });
    expect(errorOf(result, "uses")).toMatch(
      /^restoring .*assets\/renv\.lock with renv failed \(exit code 1\):\n[\s\S]*renv/,
    );
    expect(lines).not.toContain("ran");
  });
});
