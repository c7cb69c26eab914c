import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A fresh temporary folder. */
export function scratchDir(prefix = "bruin-pipeline-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes `{relative path: content}` under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** A SQL asset file: the YAML header, then the query. */
export function sqlAsset(header: string, query: string): string {
  return `/* @bruin\n${header}\n@bruin */\n${query}\n`;
}
