/**
 * An empty folder outside the workspace with the packed tarballs installed
 * by npm, as a user outside this repository would install them.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { childEnv } from "./tarballs.js";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  /** Runs a command in the sandbox (or a folder of it) and resolves with its exit code and output. */
  run(
    command: string,
    args: string[],
    options?: { cwd?: string; env?: Record<string, string> | undefined; timeoutMs?: number },
  ): Promise<CommandResult>;
  /** Runs an ES module script with `node --input-type=module -e`. */
  node(script: string, env?: Record<string, string>): Promise<CommandResult>;
  remove(): void;
}

export function createSandbox(prefix = "bruin-pack-"): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  const run: Sandbox["run"] = (command, args, options = {}) =>
    new Promise((resolve) => {
      execFile(
        command,
        args,
        {
          cwd: options.cwd ?? dir,
          env: childEnv(options.env),
          timeout: options.timeoutMs ?? 120_000,
          maxBuffer: 32 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    dir,
    run,
    node: (script, env) => run(process.execPath, ["--input-type=module", "-e", script], { env }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `npm install` of the tarballs; throws with npm's output when it fails. */
export async function installTarballs(sandbox: Sandbox, files: string[]): Promise<void> {
  const result = await sandbox.run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], {
    timeoutMs: 540_000,
  });
  if (result.code !== 0) {
    throw new Error(
      `npm install of the packed tarballs failed (exit ${result.code}); it needs the npm registry for third-party dependencies:\n${result.stderr}\n${result.stdout}`,
    );
  }
}

/** Copies a folder into the sandbox, leaving out generated data. */
export function copyInto(sandbox: Sandbox, source: string, name: string): string {
  const target = path.join(sandbox.dir, name);
  cpSync(source, target, {
    recursive: true,
    filter: (file) => !/[\\/](data|node_modules)$/.test(file) && !/\.duckdb(\.wal)?$/.test(file),
  });
  return target;
}
