import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./test-support/run-cli.js";

const BIN = path.join(REPO_ROOT, "apps", "cli", "dist", "bin.js");
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** `bruin init` on a pseudo-terminal (`script`), answering the picker with `answer` once it asks. */
function initOnTerminal(cwd: string, answer: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, "init"].map(quote).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, TERM: "xterm" },
  });
  let screen = "";
  let answered = false;
  child.stdout.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
    if (!answered && screen.includes("Template [")) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, screen })));
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} does not exist: run 'pnpm build' first`);
});

describe("bruin init on a terminal", () => {
  it("asks for a template, by number or name, and creates it", async () => {
    const byNumber = mkdtempSync(path.join(tmpdir(), "bruin-pick-"));
    const first = await initOnTerminal(byNumber, "3");
    expect(first.screen).toContain("Please select a template:");
    expect(first.screen).toMatch(/1\. default/);
    expect(first.code).toBe(0);
    expect(existsSync(path.join(byNumber, "bruin", "python", "assets", "raw", "squares.py"))).toBe(true);

    const byName = mkdtempSync(path.join(tmpdir(), "bruin-pick-"));
    const second = await initOnTerminal(byName, "duckdb");
    expect(second.code).toBe(0);
    expect(existsSync(path.join(byName, "bruin", "duckdb", "pipeline.yml"))).toBe(true);

    const wrong = mkdtempSync(path.join(tmpdir(), "bruin-pick-"));
    const third = await initOnTerminal(wrong, "9");
    expect(third.code).toBe(2);
    expect(third.screen).toContain("no template '9'");
    expect(existsSync(path.join(wrong, "bruin"))).toBe(false);
  }, 60_000);
});
