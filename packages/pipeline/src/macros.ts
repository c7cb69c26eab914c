import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import nunjucks from "nunjucks";
import { displayPath } from "./display-path.js";
import type { Asset } from "./model.js";

/** The Jinja macros of a pipeline's `macros/` folder, available to every template of its assets. */
export interface MacroLibrary {
  /** Absolute paths of the macro files, in the order they are loaded (alphabetical). */
  files: string[];
  /** The files' text, one after another, so that a macro may call one defined in another file. */
  source: string;
}

/** nunjucks' typings leave out getExported, which runs a template's top level and returns its macros. */
interface ExportingTemplate {
  getExported(context: object, callback: (error: unknown, result: unknown) => void): void;
}

const MACRO_FOLDER = "macros";
const libraries = new WeakMap<Asset, MacroLibrary>();
const compiled = new WeakMap<MacroLibrary, nunjucks.Template>();

/**
 * Reads `<pipeline>/macros/*.sql` (alphabetically). Returns undefined when
 * there is none; each file that does not compile as a template is a problem
 * naming the file, and is left out.
 */
export function loadMacros(
  pipelineDir: string,
  environment: nunjucks.Environment,
  issues: string[],
): MacroLibrary | undefined {
  const dir = path.join(pipelineDir, MACRO_FOLDER);
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(".sql"))
      .map((e) => e.name)
      .sort();
  } catch {
    return undefined;
  }
  const files: string[] = [];
  const texts: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const text = readFileSync(file, "utf8");
    try {
      new nunjucks.Template(text, environment, file, true);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const position = /\[Line (\d+), Column \d+\]/.exec(message);
      const reason = (message.split("\n").slice(1).join(" ").trim() || message).replace(/^Error:\s*/, "");
      issues.push(`${displayPath(file)}${position ? `:${position[1]}` : ""}: invalid macro file: ${reason}`);
      continue;
    }
    files.push(file);
    texts.push(text);
  }
  return files.length > 0 ? { files, source: texts.join("\n") } : undefined;
}

/** Makes the pipeline's macros available when the asset's templates are rendered. */
export function attachMacros(assets: readonly Asset[], library: MacroLibrary | undefined): void {
  if (!library) return;
  for (const asset of assets) libraries.set(asset, library);
}

/** Gives `to` (a copy of `from`, e.g. renamed) the macros of `from`. */
export function copyMacros(from: Asset, to: Asset): void {
  const library = libraries.get(from);
  if (library) libraries.set(to, library);
}

/**
 * The macros available to the asset's templates, as functions to add to the
 * template context; their bodies see the same context (dates, `var`, …).
 */
export function macrosFor(
  asset: Asset,
  environment: nunjucks.Environment,
  context: object,
): Record<string, unknown> | undefined {
  const library = libraries.get(asset);
  if (!library) return undefined;
  let template = compiled.get(library);
  if (!template) {
    template = new nunjucks.Template(library.source, environment, "macros", true);
    compiled.set(library, template);
  }
  let exported: Record<string, unknown> | undefined;
  let failure: unknown;
  (template as unknown as ExportingTemplate).getExported(context, (error, result) => {
    failure = error;
    exported = result as Record<string, unknown> | undefined;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return exported;
}
