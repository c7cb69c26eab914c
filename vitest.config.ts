import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript source through the
// "@bruin-ts/source" export condition, so tests never need a build.
const conditions = ["@bruin-ts/source", "node", "import", "default"];

const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
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
