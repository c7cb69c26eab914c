var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/errors.ts
var EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  secretsBackend: 3
};
var UsageError = class extends Error {
  exitCode = EXIT.usage;
};

// src/backends.ts
var BACKENDS = [
  {
    id: "file",
    summary: "connections from .bruin.yml (the default)",
    variables: [{ name: "BRUIN_CONFIG_FILE", required: false, description: "path of the config file" }],
    create: async (context) => (await import("@bruin-ts/backend-file")).createFileBackend(context)
  },
  {
    id: "infisical",
    summary: "connections from Infisical secrets, through a machine identity (Universal Auth)",
    variables: [
      { name: "BRUIN_INFISICAL_CLIENT_ID", required: true, description: "machine identity client ID" },
      { name: "BRUIN_INFISICAL_CLIENT_SECRET", required: true, description: "machine identity client secret" },
      { name: "BRUIN_INFISICAL_PROJECT_ID", required: true, description: "project ID" },
      { name: "BRUIN_INFISICAL_ENVIRONMENT", required: true, description: "environment slug, e.g. dev" },
      { name: "BRUIN_INFISICAL_HOST", required: false, description: "API URL (default https://app.infisical.com)" },
      { name: "BRUIN_INFISICAL_SECRET_PATH", required: false, description: "folder of the secrets (default /)" },
      { name: "BRUIN_INFISICAL_TIMEOUT", required: false, description: "seconds one read or login may take, retries included (default 30)" }
    ],
    create: async (context) => (await import("@bruin-ts/backend-infisical")).createInfisicalBackend(context)
  }
];
function chooseBackend(flag, env) {
  const wanted = (flag ?? env.BRUIN_SECRETS_BACKEND ?? "").trim() || "file";
  const choice = BACKENDS.find((backend) => backend.id === wanted.toLowerCase());
  if (!choice) {
    throw new UsageError(
      `unsupported secrets backend "${wanted}"; possible values: ${BACKENDS.map((b) => b.id).join(", ")}`
    );
  }
  return choice;
}
function describeBackends() {
  const lines = ["Secrets backends (--secrets-backend or BRUIN_SECRETS_BACKEND):"];
  for (const backend of BACKENDS) {
    lines.push(`  ${backend.id.padEnd(10)} ${backend.summary}`);
    for (const variable of backend.variables) {
      lines.push(`    ${variable.name.padEnd(30)} ${variable.required ? "required" : "optional"}: ${variable.description}`);
    }
  }
  return lines.join("\n");
}

export {
  __commonJS,
  __toESM,
  EXIT,
  UsageError,
  chooseBackend,
  describeBackends
};
