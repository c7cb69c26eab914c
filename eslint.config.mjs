// Type-aware lint rules for the whole workspace (`pnpm lint`).
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/node_modules/**", "reports/**", "**/*.mjs", "**/*.js", "**/*.cjs", "**/tsup.config.ts"],
  },
  {
    files: ["**/*.ts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: {
          allowDefaultProject: ["tooling/lint/src/*.test.ts", "tooling/bench/src/*.test.ts", "*.config.ts"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // `typeof import("pkg")` names the type of a module loaded lazily with import(): allowed.
      "@typescript-eslint/consistent-type-imports": ["error", { disallowTypeAnnotations: false }],
    },
  },
  {
    // A library reads its configuration from what its caller passes, never from the process:
    // only the CLI and the files that read a backend's configuration look at process.env.
    files: ["packages/*/src/**/*.ts"],
    ignores: ["**/*.test.ts", "**/test-support/**", "packages/*/src/config.ts", "packages/backend-file/src/expand.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Libraries take their environment from their caller (apps/cli passes io.env).",
        },
      ],
    },
  },
);
