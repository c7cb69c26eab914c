import { existsSync } from "node:fs";
import path from "node:path";

/** The repository `dir` is in: the nearest folder at or above it holding `.git`, if any. */
export function repositoryRoot(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, ".git"))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}
