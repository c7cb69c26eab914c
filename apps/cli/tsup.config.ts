import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

/**
 * The CLI ships as a bundle: start-up (`bruin --version`, `--help`) and the
 * time before a run's first statement are mostly module loading, and loading
 * the workspace packages, zod, js-yaml and nunjucks file by file costs more
 * than reading one bundle (see the Performance section of the README).
 *
 * - Bundled: the CLI's own code, yargs, every `@bruin-ts/*` package and the
 *   libraries they import (zod, js-yaml, nunjucks, ajv, …), so one copy of
 *   each module serves the whole process.
 * - External: everything in this package's `dependencies` other than the
 *   above: the warehouse drivers, `@duckdb/node-api` and the secrets
 *   managers' SDKs. The bundled code loads them with `import()` (or
 *   `require`) from this package's folder, so each is listed here, and each
 *   still loads only when a run needs it.
 * - Code splitting keeps each command, each driver adapter and each backend
 *   in its own chunk, imported on use.
 *
 * The workspace packages stay in `dependencies`: the sources import them,
 * `@bruin-ts/pipeline` provides the Python runner file at run time, and the
 * type check and tests run on the sources. Types come from tsc
 * (`--emitDeclarationOnly`).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const lazyStringWidth = path.join(here, "build", "string-width.js");

/** Points `string-width` at build/string-width.js; its own imports resolve from the real package's folder. */
const lazyStringWidthPlugin: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "lazy-string-width",
  setup(build) {
    let realFolder: Promise<string> | undefined;
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      realFolder ??= build
        .resolve("string-width", { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } })
        .then((result) => {
          if (result.errors.length > 0 || !result.path)
            throw new Error("string-width could not be resolved for the bundle");
          return path.dirname(result.path);
        });
      await realFolder;
      return { path: lazyStringWidth };
    });
    build.onResolve({ filter: /^(strip-ansi|get-east-asian-width)$/ }, async (args) => {
      if (args.importer !== lazyStringWidth || !realFolder) return undefined;
      return build.resolve(args.path, { resolveDir: await realFolder, kind: args.kind });
    });
  },
};

export default defineConfig({
  entry: { bin: "src/bin.ts", index: "src/index.ts" },
  format: "esm",
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  splitting: true,
  sourcemap: true,
  dts: false,
  noExternal: ["yargs", /^@bruin-ts\//],
  // nunjucks requires chokidar only to watch template folders, which bruin never asks of it.
  external: ["chokidar"],
  // CommonJS libraries in the bundle (nunjucks, pg-copy-streams, …) call `require` for Node's
  // built-in modules; each chunk gets a module-scoped `require` for them.
  banner: {
    js: 'import { createRequire as __bruinCreateRequire } from "node:module"; const require = __bruinCreateRequire(import.meta.url);',
  },
  esbuildPlugins: [lazyStringWidthPlugin],
});
