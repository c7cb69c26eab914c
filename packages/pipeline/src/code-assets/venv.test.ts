import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pythonAsset } from "../test-support/code-scenarios.js";
import { DuckDBPipeline, errorOf, statuses } from "../test-support/duckdb-run.js";
import { scratchDir } from "../test-support/tree.js";
import { findExecutable } from "./interpreter.js";
import { acquireLock, ensureVenv, venvCacheDir, venvKey } from "./venv.js";

const python3 = findExecutable("python3", process.env.PATH)!;
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };

/** A pure-Python wheel of one module, built offline, so pip needs no network to install it. */
function wheel(dir: string, module: string, body: string): string {
  const file = path.join(dir, `${module}-1.0-py3-none-any.whl`);
  const script = `
import sys, zipfile
name, body, out = sys.argv[1], sys.argv[2], sys.argv[3]
info = name + "-1.0.dist-info/"
with zipfile.ZipFile(out, "w") as z:
    z.writestr(name + ".py", body)
    z.writestr(info + "METADATA", "Metadata-Version: 2.1\\nName: " + name + "\\nVersion: 1.0\\n")
    z.writestr(info + "WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr(info + "RECORD", "")
`;
  execFileSync(python3, ["-c", script, module, body, file]);
  return file;
}

describe("the virtual environment cache", () => {
  it("keys an environment by the requirements and the interpreter", () => {
    const key = venvKey("requests==2\n", "/usr/bin/python3.11", "3.11.7");
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(venvKey("requests==2\n", "/usr/bin/python3.11", "3.11.7")).toBe(key);
    expect(
      new Set([
        key,
        venvKey("requests==3\n", "/usr/bin/python3.11", "3.11.7"),
        venvKey("requests==2\n", "/usr/bin/python3.12", "3.11.7"),
        venvKey("requests==2\n", "/usr/bin/python3.11", "3.11.8"),
      ]).size,
    ).toBe(4);
  });

  it("lives under XDG_CACHE_HOME, else ~/.cache", () => {
    expect(venvCacheDir({ XDG_CACHE_HOME: "/c", HOME: "/h" })).toBe("/c/bruin/venvs");
    expect(venvCacheDir({ HOME: "/h" })).toBe("/h/.cache/bruin/venvs");
  });

  it("locks: a second holder waits for the first; a lock whose owner is gone is taken over", async () => {
    const lock = path.join(scratchDir("bruin-lock-"), "k.lock");
    const release = await acquireLock(lock);
    let second = false;
    const waiting = acquireLock(lock, { pollMs: 10 }).then((r) => ((second = true), r));
    await new Promise((r) => setTimeout(r, 100));
    expect(second).toBe(false);
    await release();
    await (
      await waiting
    )();
    expect(second).toBe(true);
    expect(existsSync(lock)).toBe(false);

    // A lock left by a process that died.
    mkdirSync(lock);
    writeFileSync(path.join(lock, "pid"), "999999999");
    const taken = await acquireLock(lock, { pollMs: 10 });
    await taken();
  });

  it("installs requirements once into a --system-site-packages environment, concurrent runs sharing one build", async () => {
    const dir = scratchDir("bruin-venv-");
    const requirements = path.join(dir, "requirements.txt");
    writeFileSync(requirements, `${wheel(dir, "bruin_demo_pkg", "ANSWER = 42\n")}\n`);
    const cacheDir = path.join(dir, "cache");
    const [a, b] = await Promise.all([
      ensureVenv({ python: python3, requirements, cacheDir, env }),
      ensureVenv({ python: python3, requirements, cacheDir, env }),
    ]);
    expect(a).toBe(b);
    // Only the finished environment is left: no half-made copy, no lock.
    expect(readdirSync(cacheDir)).toEqual([path.basename(path.dirname(path.dirname(a)))]);
    // Installed into the environment, not into the system's site-packages.
    const out = execFileSync(
      a,
      [
        "-c",
        "import bruin_demo_pkg, sys; print(bruin_demo_pkg.ANSWER, sys.prefix != sys.base_prefix, bruin_demo_pkg.__file__.startswith(sys.prefix))",
      ],
      { encoding: "utf8" },
    );
    expect(out.trim()).toBe("42 True True");
    expect(
      execFileSync(python3, ["-c", "import importlib.util; print(importlib.util.find_spec('bruin_demo_pkg'))"], {
        encoding: "utf8",
      }).trim(),
    ).toBe("None");
    expect(
      execFileSync(a, ["-c", "import sys; print(open(sys.prefix + '/pyvenv.cfg').read())"], { encoding: "utf8" }),
    ).toMatch(/include-system-site-packages = true/);
    const built = statSync(a).mtimeMs;
    expect(await ensureVenv({ python: python3, requirements, cacheDir, env })).toBe(a);
    expect(statSync(a).mtimeMs).toBe(built);
  }, 120_000);

  it("a failed install fails with the installer's last lines and leaves nothing behind", async () => {
    const dir = scratchDir("bruin-venv-");
    const requirements = path.join(dir, "requirements.txt");
    writeFileSync(requirements, path.join(dir, "missing-1.0-py3-none-any.whl\n"));
    const cacheDir = path.join(dir, "cache");
    await expect(ensureVenv({ python: python3, requirements, cacheDir, env })).rejects.toThrow(
      new RegExp(
        `^installing ${requirements.replaceAll(".", "\\.")} failed \\(exit code 1\\):\\n[\\s\\S]*missing-1\\.0-py3-none-any\\.whl`,
      ),
    );
    expect(readdirSync(cacheDir)).toEqual([]);
  }, 120_000);
});

describe("a Python asset with a requirements.txt", () => {
  it("runs in the environment of its nearest requirements.txt; a failed install fails it and stops its downstream", async () => {
    const p = new DuckDBPipeline();
    const cache = path.join(p.root, "cache");
    p.write({
      "requirements.txt": `${wheel(p.root, "bruin_greeting", "HELLO = 'hello from a wheel'\n")}\n`,
      "assets/hi.py": pythonAsset("name: hi", "import bruin_greeting\nprint(bruin_greeting.HELLO)"),
      "assets/broken/requirements.txt": `${path.join(p.root, "absent-1.0-py3-none-any.whl")}\n`,
      "assets/broken/uses.py": pythonAsset("name: uses", "print('never')"),
      "assets/after.py": pythonAsset("name: after\ndepends: [uses]", "print('never')"),
    });
    const lines: string[] = [];
    const result = await p.run({
      code: { venvCacheDir: cache, onOutput: (task, _s, line) => lines.push(`${task.id}: ${line}`) },
    });
    expect(statuses(result)).toEqual({ hi: "succeeded", uses: "failed", after: "upstream_failed" });
    expect(lines).toEqual(["hi: hello from a wheel"]);
    expect(errorOf(result, "uses")).toMatch(
      /^installing .*assets\/broken\/requirements\.txt failed \(exit code 1\):\n[\s\S]*absent-1\.0/,
    );
  }, 120_000);
});
