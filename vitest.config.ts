import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript source through the
// "@bruin-ts/source" export condition, so tests never need a build.
// Only the source condition is passed on to Node for external packages: adding
// "import" or "module" there would make Node load CommonJS packages' ESM builds
// from require() calls (pg, the AWS SDK inside @infisical/sdk).
const conditions = ["@bruin-ts/source", "node", "default"];

const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@bruin-ts/source"] } },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: ["{packages,apps,tooling}/*/src/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "**/dist/**"],
          testTimeout: 20_000,
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          include: ["{packages,apps,tooling}/*/src/**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
          testTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
