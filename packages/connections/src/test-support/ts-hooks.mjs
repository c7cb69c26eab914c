// Module hooks that let a plain `node` child process run this package's
// TypeScript sources (transpiled on the fly, no type checking), and record
// every module it loads in the file named by BRUIN_LOADED_MODULES_LOG. The
// lazy-loading test uses the record to see which drivers a run pulled in.
import { appendFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // Sources import siblings as `./x.js` (NodeNext style); the file on disk is `./x.ts`.
    if (specifier.startsWith(".") && specifier.endsWith(".js") && context.parentURL?.endsWith(".ts")) {
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  const log = process.env.BRUIN_LOADED_MODULES_LOG;
  if (log) appendFileSync(log, `${url}\n`);
  if (!url.endsWith(".ts")) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(path, "utf8"), {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
