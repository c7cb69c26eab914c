import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
// Inside the package's node_modules, so the child resolves `@infisical/sdk` as the package does.
const workDir = path.join(here, "..", "node_modules", ".cache", `sdk-loader-test-${process.pid}`);
afterAll(() => rm(workDir, { recursive: true, force: true }));

/** The child imports the loader exactly as a CLI run would: plain `node`, no test runner, no extra conditions. */
const CHILD = `
import { createRequire } from "node:module";
import { loadInfisicalSdk } from "./sdk-loader.mjs";
import { withoutNodeVersionWarning } from "./quiet-import.mjs";

const sdk = await loadInfisicalSdk();
if (typeof sdk.InfisicalSDK !== "function") throw new Error("no InfisicalSDK export");
new sdk.InfisicalSDK({ siteUrl: "http://127.0.0.1:9" });

// The AWS SDK's own emitter, from the SDK's dependency tree, called while the filter is active.
const fromSdk = createRequire(createRequire(import.meta.url).resolve("@infisical/sdk"));
const awsCore = createRequire(fromSdk.resolve("@aws-sdk/credential-providers"))("@aws-sdk/core/client");
await withoutNodeVersionWarning(async () => awsCore.emitWarningIfUnsupportedVersion("v20.0.0"));

process.emitWarning("other warnings still print", "ControlWarning");
await new Promise((resolve) => setTimeout(resolve, 20));
console.log("loaded");
`;

it("loads the SDK in a plain node process with a clean stderr", async () => {
  await mkdir(workDir, { recursive: true });
  // The loader and the warning filter it uses, as plain JavaScript next to each other.
  const transpile = async (file: string) =>
    ts.transpileModule(await readFile(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
  const loader = (await transpile(path.join(here, "sdk-loader.ts"))).replace('"@bruin-ts/secrets-core"', '"./quiet-import.mjs"');
  expect(loader).toContain('"./quiet-import.mjs"');
  await writeFile(path.join(workDir, "sdk-loader.mjs"), loader);
  await writeFile(path.join(workDir, "quiet-import.mjs"), await transpile(path.join(here, "../../secrets-core/src/quiet-import.ts")));
  await writeFile(path.join(workDir, "child.mjs"), CHILD);

  const { stdout, stderr } = await promisify(execFile)(process.execPath, ["child.mjs"], {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? "" },
    timeout: 15_000,
  });
  expect(stdout.trim()).toBe("loaded");
  expect(stderr).not.toContain("NodeVersionSupportWarning");
  expect(stderr).not.toContain("AWS SDK");
  // Proves stderr was captured and that only the AWS notice was filtered.
  expect(stderr).toContain("ControlWarning: other warnings still print");
}, 20_000);
