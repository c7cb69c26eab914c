import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// Plain .mjs run by `pnpm lint`, untyped here.
import { engineNames, findEngineBranches } from "./engine-branches.mjs";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "bruin-lint-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const engineModules = {
  "packages/connections/src/engines/acme.ts":
    'export const acme = { type: "acme", aliases: ["acme_db"], dialect: ansiDialect("acmeql"), sql: true };\n',
  "packages/pipeline/src/engines/acme.ts": 'class AcmeEngine { override readonly assetTypes = ["ac.sql"]; }\n',
};

describe("engine branches outside the engine modules", () => {
  it("learns the names from the engine modules: types, aliases, dialects, asset types", () => {
    expect([...engineNames(tree(engineModules))].sort()).toEqual(["ac.sql", "acme", "acme_db", "acmeql"]);
  });

  it("flags a comparison or switch on dialect.name and a literal naming an engine, with file and line", () => {
    const root = tree({
      ...engineModules,
      "packages/pipeline/src/a.ts": 'const x = 1;\nif (dialect.name === "other") run();\n',
      "packages/pipeline/src/b.ts": "switch (adapter.dialect.name) {}\n",
      "apps/cli/src/c.ts": "const types = new Set(['acme', 'x']);\n",
      "packages/pipeline/src/d.ts": 'const t = asset.type === "ac.sql";\n',
    });
    expect(
      findEngineBranches(root).map(
        (p: { file: string; line: number; reason: string }) => `${p.file}:${p.line}: ${p.reason}`,
      ),
    ).toEqual([
      "packages/pipeline/src/a.ts:2: branches on dialect.name",
      "packages/pipeline/src/b.ts:1: branches on dialect.name",
      "packages/pipeline/src/d.ts:1: names the engine 'ac.sql'",
      "apps/cli/src/c.ts:1: names the engine 'acme'",
    ]);
  });

  it("leaves alone the engine modules, adapters, tests, comments and module specifiers", () => {
    const root = tree({
      ...engineModules,
      "packages/connections/src/adapters/acme.ts": 'readonly type = "acme";\n',
      "packages/pipeline/src/x.test.ts": 'fakeAdapter("acme");\n',
      "packages/pipeline/src/test-support/fake.ts": 'fakeAdapter("acme");\n',
      "packages/pipeline/src/y.ts":
        '/** a "acme" asset */\n// "acme"\nimport { x } from "acme";\nconst m = await import("acme");\n',
    });
    expect(findEngineBranches(root)).toEqual([]);
  });

  it("finds none in this repository", () => {
    expect(findEngineBranches(repo)).toEqual([]);
  });
});
