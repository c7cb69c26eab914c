import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { HIDDEN_SECRET_VALUE, startEmulator, type Emulator } from "./index.js";
import { DB_PASSWORD, OTHER_PROJECT, PROJECT, failure, loginSdk, sdkStatus, seed } from "./test-support/fixtures.js";
import type { InfisicalSDK } from "./test-support/load-sdk.js";

let emu: Emulator;
let sdk: InfisicalSDK;
let token: string;
beforeEach(async () => {
  emu = await startEmulator({ seed: seed() });
  sdk = await loginSdk(emu.url);
  token = sdk.auth().getAccessToken() as string;
});
afterEach(async () => {
  await emu.stop();
});

async function getRaw(pathAndQuery: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const get = (options: {
  secretName: string;
  environment?: string;
  secretPath?: string;
  projectId?: string;
  version?: number;
}) => sdk.secrets().getSecret({ projectId: PROJECT, environment: "dev", ...options });

describe("reading one secret", () => {
  it("returns the full secret object", async () => {
    const secret = await get({ secretName: "DB_PASSWORD" });
    expect(secret).toEqual({
      id: expect.any(String),
      _id: secret.id,
      workspace: PROJECT,
      environment: "dev",
      version: 1,
      type: "shared",
      secretKey: "DB_PASSWORD",
      secretValue: DB_PASSWORD,
      secretComment: "",
      secretPath: "/",
      secretValueHidden: false,
      skipMultilineEncoding: false,
      tags: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it("reads nested folders and ignores a trailing slash", async () => {
    for (const secretPath of ["/team/a", "/team/a/", "team/a"]) {
      const secret = await get({ secretName: "A_TOKEN", secretPath });
      expect(secret).toMatchObject({ secretValue: "a-token", secretPath: "/team/a" });
    }
  });

  it("names the missing secret, folder, environment or project in a 404", async () => {
    const cases: Array<[Parameters<typeof get>[0], string]> = [
      [{ secretName: "NOPE" }, "Secret with name 'NOPE' not found"],
      [{ secretName: "A_TOKEN", secretPath: "/x" }, "Folder with path '/x' in environment with slug 'dev' not found"],
      [
        { secretName: "A_TOKEN", environment: "qa" },
        `Environment with slug 'qa' in project with ID '${PROJECT}' not found`,
      ],
      [{ secretName: "A_TOKEN", projectId: "proj-missing" }, "Project with ID 'proj-missing' not found"],
    ];
    for (const [options, message] of cases) {
      const error = await failure(() => get(options));
      expect(error.name).toBe("InfisicalSDKRequestError");
      expect(sdkStatus(error)).toBe(404);
      expect(error.message.endsWith(message)).toBe(true);
      expect(error.message).not.toContain(DB_PASSWORD);
    }
    const raw = await getRaw(`/api/v3/secrets/raw/NOPE?workspaceId=${PROJECT}&environment=dev`);
    expect(raw.body).toMatchObject({
      statusCode: 404,
      error: "NotFound",
      message: "Secret with name 'NOPE' not found",
    });
    expect(raw.body.reqId).toEqual(expect.any(String));
  });

  it("answers 403 PermissionDenied outside the identity's projects and in denied places", async () => {
    const denied = [
      () => get({ secretName: "OTHER", projectId: OTHER_PROJECT }),
      () => get({ secretName: "HIDDEN", environment: "prod", secretPath: "/locked" }),
    ];
    for (const call of denied) {
      const error = await failure(call);
      expect(sdkStatus(error)).toBe(403);
      expect(error.message).toContain("You are not allowed to read on secrets");
    }
    const noProd = await loginSdk(emu.url, "ci-noprod", "noprod-secret");
    const error = await failure(() =>
      noProd.secrets().getSecret({ projectId: PROJECT, environment: "prod", secretName: "DB_PASSWORD" }),
    );
    expect(sdkStatus(error)).toBe(403);
    const raw = await getRaw(`/api/v3/secrets/raw/OTHER?workspaceId=${OTHER_PROJECT}&environment=dev`);
    expect(raw.body).toMatchObject({ statusCode: 403, error: "PermissionDenied" });
  });

  it("hides the value when viewSecretValue=false", async () => {
    const secret = await sdk
      .secrets()
      .getSecret({ projectId: PROJECT, environment: "dev", secretName: "DB_PASSWORD", viewSecretValue: false });
    expect(secret).toMatchObject({ secretValue: HIDDEN_SECRET_VALUE, secretValueHidden: true });
  });

  it("expands ${KEY} references unless expandSecretReferences=false", async () => {
    const expanded = await get({ secretName: "URL", environment: "prod" });
    expect(expanded.secretValue).toBe("postgres://u:prod-password@h/db");
    const raw = await sdk
      .secrets()
      .getSecret({ projectId: PROJECT, environment: "prod", secretName: "URL", expandSecretReferences: false });
    expect(raw.secretValue).toBe("postgres://u:${DB_PASSWORD}@h/db");
  });

  it("serves changes made with setSecret/deleteSecret, keeping old versions", async () => {
    emu.setSecret(PROJECT, "dev", "/", "DB_PASSWORD", "rotated");
    emu.setSecret(PROJECT, "dev", "/new/folder/", "FRESH", "fresh-value");
    const rotated = await get({ secretName: "DB_PASSWORD" });
    expect(rotated).toMatchObject({ secretValue: "rotated", version: 2 });
    expect((await get({ secretName: "DB_PASSWORD", version: 1 })).secretValue).toBe(DB_PASSWORD);
    expect((await get({ secretName: "FRESH", secretPath: "/new/folder" })).secretValue).toBe("fresh-value");
    emu.deleteSecret(PROJECT, "dev", "/", "DB_PASSWORD");
    expect(sdkStatus(await failure(() => get({ secretName: "DB_PASSWORD" })))).toBe(404);
  });
});

describe("query validation", () => {
  it("answers 422 ValidationFailure with an issue array for a boolean that is not 'true'/'false'", async () => {
    const res = await getRaw(
      `/api/v3/secrets/raw/DB_PASSWORD?workspaceId=${PROJECT}&environment=dev&expandSecretReferences=yes`,
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: "ValidationFailure" });
    expect(res.body.message).toEqual([
      expect.objectContaining({
        code: "invalid_enum_value",
        path: ["expandSecretReferences"],
        options: ["true", "false"],
      }),
    ]);
    const list = await getRaw(
      `/api/v3/secrets/raw?workspaceId=${PROJECT}&environment=dev&recursive=1&include_imports=TRUE`,
    );
    expect(list.status).toBe(422);
    expect((list.body.message as Array<{ path: string[] }>).map((issue) => issue.path[0])).toEqual([
      "include_imports",
      "recursive",
    ]);
  });

  it("answers 400 Missing environment", async () => {
    const res = await getRaw(`/api/v3/secrets/raw/DB_PASSWORD?workspaceId=${PROJECT}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: "BadRequest", message: "Missing environment" });
  });

  it("ignores unknown keys such as the SDK's misnamed includeImports", async () => {
    const res = await getRaw(
      `/api/v3/secrets/raw/DB_PASSWORD?workspaceId=${PROJECT}&environment=dev&includeImports=maybe&foo=bar`,
    );
    expect(res.status).toBe(200);
  });
});

describe("listing secrets", () => {
  it("lists one folder, or every folder below it with recursive=true", async () => {
    const flat = await sdk.secrets().listSecrets({ projectId: PROJECT, environment: "dev" });
    expect(flat.secrets.map((s) => s.secretKey)).toEqual(["API_KEY", "DB_PASSWORD"]);
    expect(flat.imports).toEqual([]);
    const deep = await sdk.secrets().listSecrets({ projectId: PROJECT, environment: "dev", recursive: true });
    expect(deep.secrets.map((s) => `${s.secretPath}:${s.secretKey}`)).toEqual([
      "/:API_KEY",
      "/:DB_PASSWORD",
      "/team/a:A_TOKEN",
    ]);
    const team = await sdk
      .secrets()
      .listSecrets({ projectId: PROJECT, environment: "dev", secretPath: "/team/", recursive: true });
    expect(team.secrets.map((s) => s.secretKey)).toEqual(["A_TOKEN"]);
  });

  it("skips denied sub-folders when recursive, and refuses a denied folder", async () => {
    const prod = await sdk.secrets().listSecrets({ projectId: PROJECT, environment: "prod", recursive: true });
    expect(prod.secrets.map((s) => s.secretKey)).toEqual(["DB_PASSWORD", "URL"]);
    const error = await failure(() =>
      sdk.secrets().listSecrets({ projectId: PROJECT, environment: "prod", secretPath: "/locked" }),
    );
    expect(sdkStatus(error)).toBe(403);
  });

  it("gives the same 404s as single reads", async () => {
    const error = await failure(() =>
      sdk.secrets().listSecrets({ projectId: PROJECT, environment: "dev", secretPath: "/x" }),
    );
    expect(error.message).toContain("Folder with path '/x' in environment with slug 'dev' not found");
  });
});

describe("v4 endpoints", () => {
  it("reads and lists with projectId", async () => {
    const one = await getRaw(`/api/v4/secrets/DB_PASSWORD?projectId=${PROJECT}&environment=dev`);
    expect(one.status).toBe(200);
    expect(one.body.secret).toMatchObject({ secretKey: "DB_PASSWORD", secretValue: DB_PASSWORD, workspace: PROJECT });
    const list = await getRaw(`/api/v4/secrets?projectId=${PROJECT}&environment=dev&secretPath=/team/a`);
    expect(list.body).toEqual({ secrets: [expect.objectContaining({ secretKey: "A_TOKEN" })], imports: [] });
  });

  it("requires projectId (422) and reports 404s like v3", async () => {
    const missing = await getRaw(`/api/v4/secrets/DB_PASSWORD?workspaceId=${PROJECT}&environment=dev`);
    expect(missing.status).toBe(422);
    expect(missing.body.message).toEqual([expect.objectContaining({ path: ["projectId"], message: "Required" })]);
    const notFound = await getRaw(`/api/v4/secrets/NOPE?projectId=${PROJECT}&environment=dev`);
    expect(notFound.body).toMatchObject({ statusCode: 404, message: "Secret with name 'NOPE' not found" });
  });
});
