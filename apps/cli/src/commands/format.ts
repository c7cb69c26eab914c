import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Redactor } from "@bruin-ts/secrets-core";
import { EXIT, UsageError } from "../errors.js";
import { assetFileKind, formatAssetText } from "../format-asset.js";
import { Printer, type CliIO } from "../io.js";

export interface FormatCommandOptions {
  path: string;
  failIfChanged: boolean;
  output: string;
}

/** The folders asset files live in, as the reference looks for them. */
const ASSET_FOLDERS = new Set(["assets", "tasks"]);

/** Every file under `dir` that can be an asset: under an assets/ or tasks/ folder, by its name. */
async function assetPathsUnder(dir: string, inAssets: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await assetPathsUnder(full, inAssets || ASSET_FOLDERS.has(entry.name))));
    else if (entry.isFile() && inAssets && assetFileKind(entry.name)) found.push(full);
  }
  return found;
}

/**
 * `bruin format [path]`: rewrites asset definitions into their canonical
 * form (format-asset.ts). With `--fail-if-changed` nothing is written: the
 * files that would change are named and the command exits 1.
 */
export async function formatCommand(options: FormatCommandOptions, io: CliIO): Promise<number> {
  if (!["plain", "json"].includes(options.output)) {
    throw new UsageError(`unsupported output '${options.output}'; possible values: plain, json`);
  }
  const printer = new Printer(io, new Redactor(), { color: false });
  const json = options.output === "json";
  const target = path.resolve(io.cwd, options.path);
  const info = await stat(target).catch(() => undefined);
  if (!info) {
    const message = `the given file path '${options.path}' does not seem to exist, are you sure you used the right path?`;
    if (json) printer.out(JSON.stringify({ error: message }));
    else printer.err(`Error: ${message}`);
    return EXIT.failed;
  }
  const single = info.isFile();
  const files = single ? [target] : await assetPathsUnder(target, ASSET_FOLDERS.has(path.basename(target)));
  if (single && !assetFileKind(target)) {
    throw new UsageError(`'${options.path}' is not an asset file (.sql, .py, .asset.yml or .asset.yaml)`);
  }
  if (files.length === 0) {
    printer.err("No assets were found in the given path, aborting.");
    return EXIT.failed;
  }

  const shown = (file: string) => path.relative(io.cwd, file) || file;
  const errors: string[] = [];
  const changed: string[] = [];
  let formatted = 0;
  for (const file of files) {
    const kind = assetFileKind(file);
    if (!kind) continue;
    const original = await readFile(file, "utf8");
    const result = formatAssetText(original, kind);
    if (result.kind === "not-asset") continue;
    if (result.kind === "error") {
      errors.push(`${shown(file)}: ${result.message}`);
      continue;
    }
    formatted++;
    if (result.text === original) continue;
    changed.push(shown(file));
    if (!options.failIfChanged) await writeFile(file, result.text);
  }

  if (errors.length > 0) {
    if (json) printer.out(JSON.stringify(errors.map((error) => ({ error }))));
    else {
      printer.err("Some errors occurred:");
      for (const error of errors) printer.err(`  - ${error}`);
    }
    return EXIT.failed;
  }
  if (options.failIfChanged) {
    if (json) {
      if (changed.length > 0) printer.out(JSON.stringify({ changed }));
    } else if (changed.length === 0) {
      printer.out(
        single
          ? `success: Asset '${options.path}' doesn't need reformatting`
          : `success: no asset in '${options.path}' needs reformatting`,
      );
    } else if (single) {
      printer.err(`failure: asset '${options.path}' needs to be reformatted`);
    } else {
      printer.err("failure: some assets need reformatting:");
      for (const file of changed) printer.err(`'${file}'`);
    }
    return changed.length === 0 ? EXIT.ok : EXIT.failed;
  }
  if (json) return EXIT.ok;
  if (formatted === 0) printer.out("no actual assets were found in the given path, nothing has changed.");
  else if (single) printer.out(`Successfully formatted asset '${shown(target)}'`);
  else printer.out(`Successfully formatted ${formatted} asset${formatted === 1 ? "" : "s"}.`);
  return EXIT.ok;
}
