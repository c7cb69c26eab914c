// One measurement in a fresh process, so the first resolution pays what a
// `bruin run` pays (the lazy load of @infisical/sdk included). Prints JSON.
//   node resolve-once.mjs <bruin|sdk> <K> <host> <clientId> <clientSecret> <projectId> <environment>
import { performance } from "node:perf_hooks";
import { connectionName } from "./seed.mjs";

const [mode, k, host, clientId, clientSecret, projectId, environment] = process.argv.slice(2);
const names = Array.from({ length: Number(k) }, (_, i) => connectionName(i));

async function resolveThroughBruin() {
  const { createInfisicalBackend } = await import("@bruin-ts/backend-infisical");
  const { ConnectionResolver, Redactor } = await import("@bruin-ts/secrets-core");
  const { validateConnection, sensitiveValues } = await import("@bruin-ts/connections");
  const env = {
    BRUIN_INFISICAL_HOST: host,
    BRUIN_INFISICAL_CLIENT_ID: clientId,
    BRUIN_INFISICAL_CLIENT_SECRET: clientSecret,
    BRUIN_INFISICAL_PROJECT_ID: projectId,
    BRUIN_INFISICAL_ENVIRONMENT: environment,
  };
  // What `bruin run` does: one backend per run, a resolver that validates each secret.
  const once = async () => {
    const redactor = new Redactor();
    const backend = createInfisicalBackend({ env, redactor, cwd: process.cwd() });
    const resolver = new ConnectionResolver({
      backend,
      redactor,
      sensitiveValues,
      validate: (secret, from) => validateConnection(secret, { backend: from.id, exitCode: 3 }),
    });
    const started = performance.now();
    const { connections, failures } = await resolver.resolveAll(names);
    const ms = performance.now() - started;
    await backend.close();
    if (failures.length > 0 || connections.size !== names.length)
      throw new Error(`resolved ${connections.size}/${names.length}`);
    return ms;
  };
  const cold = await once();
  // Counters of the cold run are read by the parent between the two phases.
  process.stdout.write(`${JSON.stringify({ phase: "cold", ms: cold })}\n`);
  await waitForParent();
  const warm = await once();
  process.stdout.write(`${JSON.stringify({ phase: "warm", ms: warm })}\n`);
}

async function resolveThroughSdk() {
  const { InfisicalSDK } = await import("@infisical/sdk");
  // What a user writes by hand: log in, then read each secret in turn.
  const started = performance.now();
  const client = new InfisicalSDK({ siteUrl: host });
  await client.auth().universalAuth.login({ clientId, clientSecret });
  for (const secretName of names) {
    const secret = await client.secrets().getSecret({ projectId, environment, secretPath: "/", secretName });
    JSON.parse(secret.secretValue);
  }
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ phase: "warm", ms })}\n`);
}

function waitForParent() {
  return new Promise((resolve) => process.stdin.once("data", resolve));
}

if (mode === "bruin") await resolveThroughBruin();
else if (mode === "sdk") await resolveThroughSdk();
else throw new Error(`unknown mode '${mode}'`);
process.stdin.destroy();
