import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../test-support/tree.js";
import { formatDuration, runProcess } from "./process.js";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, withinMs = 3000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe("a code asset's process", () => {
  it("streams stdout and stderr line by line, in order per stream, and reports the exit code", async () => {
    const lines: string[] = [];
    const result = await runProcess({
      command: "/bin/sh",
      args: ["-c", "echo one; echo two 1>&2; printf 'three\\nfour'; exit 3"],
      cwd: "/",
      env,
      onLine: (stream, line) => lines.push(`${stream}:${line}`),
    });
    expect(result).toMatchObject({ code: 3, timedOut: false, interrupted: false });
    expect(lines.filter((l) => l.startsWith("stdout:"))).toEqual(["stdout:one", "stdout:three", "stdout:four"]);
    expect(lines).toContain("stderr:two");
    expect(result.tail).toHaveLength(4);
  });

  it("kills the whole process tree at the timeout, the script's own children included", async () => {
    const dir = scratchDir("bruin-proc-");
    const pidFile = path.join(dir, "child.pid");
    const started = Date.now();
    const result = await runProcess({
      command: "/bin/sh",
      args: ["-c", `sleep 30 & echo $! > ${pidFile}; wait`],
      cwd: dir,
      env,
      timeoutMs: 300,
    });
    expect(result.timedOut).toBe(true);
    expect(result.code).toBeNull();
    expect(result.signal).toBe("SIGTERM");
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(await eventually(() => !alive(grandchild))).toBe(true);
  });

  it("sends SIGKILL after the grace period to a process that ignores SIGTERM", async () => {
    const started = Date.now();
    const controller = new AbortController();
    const result = await runProcess({
      command: "python3",
      args: [
        "-c",
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\ntime.sleep(30)",
      ],
      cwd: "/",
      env,
      // Stopped once SIGTERM is ignored.
      signal: controller.signal,
      onLine: (_stream, line) => line === "ready" && controller.abort(),
      graceMs: 300,
    });
    expect(result).toMatchObject({ interrupted: true, signal: "SIGKILL" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("stops the process tree when the signal aborts (Ctrl-C)", async () => {
    const controller = new AbortController();
    const result = await runProcess({
      command: "/bin/sh",
      args: ["-c", "echo started; sleep 30"],
      cwd: "/",
      env,
      signal: controller.signal,
      onLine: (_stream, line) => line === "started" && controller.abort(),
    });
    expect(result).toMatchObject({ interrupted: true, timedOut: false, code: null });
  });

  it("formats timeouts for messages", () => {
    expect([
      formatDuration(500),
      formatDuration(1000),
      formatDuration(1500),
      formatDuration(300_000),
      formatDuration(90_000),
      formatDuration(5_400_000),
    ]).toEqual(["500ms", "1s", "1.5s", "5m", "1m30s", "1h30m"]);
  });
});
