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
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { AWS_ONLY_DEPENDENCIES, loadInfisicalSdk } from "./sdk-loader.mjs";
import { withoutNodeVersionWarning } from "./quiet-import.mjs";

const sdk = await loadInfisicalSdk();
if (typeof sdk.InfisicalSDK !== "function") throw new Error("no InfisicalSDK export");
new sdk.InfisicalSDK({ siteUrl: "http://127.0.0.1:9" });

// The SDK loaded without its AWS-only dependencies, and left nothing of ours in the require cache.
const require = createRequire(import.meta.url);
const fromSdk = createRequire(require.resolve("@infisical/sdk"));
const inCache = () => AWS_ONLY_DEPENDENCIES.filter((name) => require.cache[fromSdk.resolve(name)] !== undefined);
console.log("deferred:", AWS_ONLY_DEPENDENCIES.length - inCache().length);

// The SDK's AWS IAM login still works: it loads them on first use, signs, and posts.
let posted;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    posted = { url: req.url, body: JSON.parse(body) };
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ accessToken: "aws-login-token", expiresIn: 60, accessTokenMaxTTL: 60, tokenType: "Bearer" }));
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
Object.assign(process.env, { AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "aws-secret-example" });
const aws = new sdk.InfisicalSDK({ siteUrl: "http://127.0.0.1:" + server.address().port });
await aws.auth().awsIamAuth.login({ identityId: "identity-1" });
server.close();
const signed = JSON.parse(Buffer.from(posted.body.iamRequestHeaders, "base64").toString());
console.log("aws login:", posted.url, signed.Authorization.split(" ")[0], signed.Authorization.includes("Credential=AKIDEXAMPLE/"));
console.log("loaded on use:", inCache().length);

// The AWS SDK's own emitter, from the SDK's dependency tree, called while the filter is active.
const awsCore = createRequire(fromSdk.resolve("@aws-sdk/credential-providers"))("@aws-sdk/core/client");
await withoutNodeVersionWarning(async () => awsCore.emitWarningIfUnsupportedVersion("v20.0.0"));

process.emitWarning("other warnings still print", "ControlWarning");
await new Promise((resolve) => setTimeout(resolve, 20));
console.log("loaded");
`;

it("loads the SDK in a plain node process with a clean stderr, its AWS login deferred until used", async () => {
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
  expect(stdout.trim().split("\n")).toEqual([
    "deferred: 4",
    "aws login: /api/v1/auth/aws-auth/login AWS4-HMAC-SHA256 true",
    "loaded on use: 4",
    "loaded",
  ]);
  expect(stderr).not.toContain("NodeVersionSupportWarning");
  expect(stderr).not.toContain("AWS SDK");
  // Proves stderr was captured and that only the AWS notice was filtered.
  expect(stderr).toContain("ControlWarning: other warnings still print");
}, 20_000);
