import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openConnection, type Row } from "@bruin-ts/connections";
import { runCli } from "../main.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const QUICKSTART = path.join(REPO_ROOT, "examples", "quickstart");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions that something appears nowhere. */
  all: string;
}

/** Runs the CLI in-process with its own output buffers, environment and working directory. */
export async function runBruin(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean; interruptOn?: RegExp } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  // Stands in for Ctrl-C: the run is interrupted as soon as stdout matches.
  const interrupt = new AbortController();
  const code = await runCli(args, {
    signal: interrupt.signal,
    stdout: {
      write: (text: string) => {
        stdout += text;
        if (options.interruptOn?.test(stdout)) interrupt.abort();
      },
      isTTY: options.tty === true,
    },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty === true },
    env: { PATH: process.env.PATH, ...options.env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr, all: stdout + stderr };
}

/** A `.bruin.yml` whose `duckdb-default` is `db.duckdb` next to it. */
export const DUCKDB_CONFIG =
  "environments:\n  default:\n    connections:\n      duckdb:\n        - name: duckdb-default\n          path: db.duckdb\n";

/** A fresh folder that is its own repository root, so no .bruin.yml above it is found. */
export function scratchRepo(prefix = "bruin-cli-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(dir, ".git"));
  return dir;
}

/** A copy of the quick-start pipeline in a scratch repository. */
export function copyQuickstart(): string {
  const root = scratchRepo();
  const target = path.join(root, "quickstart");
  cpSync(QUICKSTART, target, { recursive: true, filter: (source) => !source.includes(`${path.sep}data`) });
  return target;
}

/** Writes files (path → content) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** An asset file with a `@bruin` header. */
export function sqlAsset(header: string, query: string): string {
  return `/* @bruin\n${header.trim()}\n@bruin */\n${query.trim()}\n`;
}

/** Reads rows back from a DuckDB file a run wrote, releasing the file afterwards. */
export async function readDuckDB(file: string, sql: string): Promise<Row[]> {
  const adapter = await openConnection({ name: "read-back", type: "duckdb", details: { path: file } });
  try {
    return (await adapter.query(sql)).rows;
  } finally {
    await adapter.close();
  }
}
