import { existsSync, statSync } from "node:fs";
import path from "node:path";

const FILE_NAMES = ["policy.yaml", "policy.yml"];

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The policy file that governs the pipeline in `pipelineDir`: the nearest
 * `policy.yaml` or `policy.yml` from the pipeline's folder up to the root of
 * its git repository (the folder holding `.git`); outside a repository, only
 * the pipeline's folder is looked at.
 */
export function locatePolicy(pipelineDir: string): string | undefined {
  const start = path.resolve(pipelineDir);
  let inRepository = false;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ".git"))) {
      inRepository = true;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const name of FILE_NAMES) {
      const file = path.join(dir, name);
      if (isFile(file)) return file;
    }
    if (!inRepository || existsSync(path.join(dir, ".git")) || path.dirname(dir) === dir) return undefined;
  }
}
