import { execFile } from "node:child_process";
import { existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";

function git(cwd: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      resolve({ ok: !error, stdout: stdout ?? "" }),
    );
  });
}

const lines = (text: string) => text.split("\n").filter(Boolean);

/**
 * The files that changed against git HEAD in the repository holding `target`
 * (`--modified`): changed or deleted tracked files, staged or not, and new
 * untracked files that are not ignored; absolute paths as `target` spells
 * them (a repository reached through a symbolic link keeps the link's path).
 * In a repository without a commit yet, every file is new. Not in a
 * repository, or without git: a UsageError (exit 2).
 */
export async function changedFiles(target: string): Promise<string[]> {
  const dir = existsSync(target) && !statSync(target).isDirectory() ? path.dirname(target) : target;
  const top = await git(dir, ["rev-parse", "--show-toplevel"]);
  const realRoot = top.stdout.trim();
  if (!top.ok || realRoot === "") {
    throw new UsageError(
      `--modified compares with git HEAD: '${dir}' is not in a git repository (or git is not installed)`,
    );
  }
  // The repository's folder as `target` names it.
  let root = path.resolve(dir);
  while (realpathSync(root) !== realpathSync(realRoot) && path.dirname(root) !== root) root = path.dirname(root);
  if (realpathSync(root) !== realpathSync(realRoot)) root = realRoot;

  const head = await git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]);
  const tracked = head.ok
    ? await git(root, ["diff", "--name-only", "--no-renames", "HEAD"])
    : await git(root, ["ls-files", "--cached"]);
  const untracked = await git(root, ["ls-files", "--others", "--exclude-standard"]);
  return [...new Set([...lines(tracked.stdout), ...lines(untracked.stdout)])].map((file) => path.join(root, file));
}
