import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

/**
 * The CLI ships as a bundle: `bruin --version` and `--help` must start within
 * 1.6× a bare `node -e 0`, and loading yargs and its helpers file by file
 * costs more than that (see the Performance section of the README).
 *
 * - Bundled: the CLI's own code, yargs and the packages yargs imports.
 * - External: every `@bruin-ts/*` package (they load drivers and SDKs with
 *   `import()` from their own folder, which must keep resolving there) and
 *   so, through them, the drivers, `@duckdb/node-api` and `@infisical/sdk`,
 *   which still load only when a run needs them.
 * - Bundled all the same: the data-only entries `--help` reads, each
 *   backend's `./descriptor` and `@bruin-ts/secrets-core/exit-codes`
 *   (constants, no code that loads anything): resolving eight more packages
 *   at start-up costs more than reading their few lines inline.
 * - Code splitting keeps each command in its own chunk, imported on use.
 *
 * yargs stays in `dependencies`: the sources import it, and the type check
 * and tests run on the sources. Types come from tsc (`--emitDeclarationOnly`).
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
  external: [/^@bruin-ts\/(?!backend-[a-z]+\/descriptor$|secrets-core\/exit-codes$)/],
  noExternal: ["yargs", /^@bruin-ts\/backend-[a-z]+\/descriptor$/, "@bruin-ts/secrets-core/exit-codes"],
  esbuildPlugins: [lazyStringWidthPlugin],
});
