import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportedNames, undocumentedExports } from "./public-api.mjs";

function workspace(readme: string): string {
  const root = mkdtempSync(path.join(tmpdir(), "public-api-"));
  const dir = path.join(root, "packages", "lib");
  mkdirSync(path.join(dir, "src"), { recursive: true });
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "@x/lib",
      exports: { ".": { "@bruin-ts/source": "./src/index.ts" }, "./d": { "@bruin-ts/source": "./src/d.ts" } },
    }),
  );
  writeFileSync(
    path.join(dir, "src", "index.ts"),
    [
      'export { a, b as renamed, type C } from "./a.js";',
      'export * from "./star.js";',
      "// export const commented = 1;",
      "export function documented() {}",
      "export interface Shape {}",
    ].join("\n"),
  );
  writeFileSync(path.join(dir, "src", "star.ts"), "export const fromStar = 1;\nexport type StarType = string;\n");
  writeFileSync(path.join(dir, "src", "d.ts"), "export const descriptor = {};\n");
  writeFileSync(path.join(dir, "README.md"), readme);
  mkdirSync(path.join(root, "apps"));
  return root;
}

describe("public-api lint", () => {
  it("collects the names of an entry, through export * and renames, ignoring comments", () => {
    const root = workspace("");
    expect((exportedNames(path.join(root, "packages/lib/src/index.ts")) as string[]).sort()).toEqual(
      ["C", "Shape", "StarType", "a", "documented", "fromStar", "renamed"].sort(),
    );
  });

  it("reports each export of every entry point that its README does not name", () => {
    const root = workspace(
      "`a`, `renamed`, `C`, `documented()`, `Shape` and `fromStar`; `descriptor` from ./d. Also a_b.",
    );
    expect(undocumentedExports(root)).toEqual([
      "@x/lib: StarType (packages/lib/src/index.ts) is exported but not in its README.md",
    ]);
  });
});
