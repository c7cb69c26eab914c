import { readFile } from "node:fs/promises";

import type { EmulatorSeed } from "./types.js";

// Seed files hold client secrets and secret values, so every complaint here
// names the file and the field, never what was found in it.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function fail(source: string, field: string, expected: string): never {
  throw new Error(`Invalid emulator seed (${source}): ${field} must be ${expected}`);
}

function checkIdentity(source: string, identity: unknown, at: string): void {
  if (!isRecord(identity)) fail(source, at, "an object");
  for (const key of ["clientId", "clientSecret"] as const) {
    if (typeof identity[key] !== "string" || identity[key] === "") fail(source, `${at}.${key}`, "a non-empty string");
  }
  const projects = identity.projects;
  if (!Array.isArray(projects) || !projects.every((p) => typeof p === "string"))
    fail(source, `${at}.projects`, "an array of project ids");
  for (const key of ["accessTokenTTL", "accessTokenMaxTTL", "clientSecretUsageLimit"] as const) {
    const value = identity[key];
    if (value !== undefined && (typeof value !== "number" || !(value >= 0)))
      fail(source, `${at}.${key}`, "a number of 0 or more");
  }
  if (identity.clientSecretExpired !== undefined && typeof identity.clientSecretExpired !== "boolean") {
    fail(source, `${at}.clientSecretExpired`, "a boolean");
  }
  if (identity.deny !== undefined) {
    if (!Array.isArray(identity.deny)) fail(source, `${at}.deny`, "an array");
    identity.deny.forEach((rule: unknown, i) => {
      if (!isRecord(rule) || typeof rule.environment !== "string")
        fail(source, `${at}.deny[${i}].environment`, "a string");
      if (rule.secretPath !== undefined && typeof rule.secretPath !== "string")
        fail(source, `${at}.deny[${i}].secretPath`, "a string");
    });
  }
}

/** Checks that a parsed value has the EmulatorSeed shape; `source` names it in errors. */
export function validateSeed(value: unknown, source = "seed"): EmulatorSeed {
  if (!isRecord(value)) fail(source, "the seed", "an object");
  if (!Array.isArray(value.identities)) fail(source, "identities", "an array");
  value.identities.forEach((identity, i) => checkIdentity(source, identity, `identities[${i}]`));
  if (!isRecord(value.projects)) fail(source, "projects", "an object keyed by project id");
  for (const [projectId, project] of Object.entries(value.projects)) {
    const at = `projects["${projectId}"]`;
    if (!isRecord(project) || !isRecord(project.environments))
      fail(source, `${at}.environments`, "an object keyed by environment slug");
    for (const [env, folders] of Object.entries(project.environments)) {
      if (!isRecord(folders)) fail(source, `${at}.environments["${env}"]`, "an object keyed by folder path");
      for (const [path, secrets] of Object.entries(folders)) {
        const folderAt = `${at}.environments["${env}"]["${path}"]`;
        if (!isRecord(secrets)) fail(source, folderAt, "an object of secret names to values");
        for (const [name, secret] of Object.entries(secrets)) {
          if (typeof secret !== "string") fail(source, `${folderAt}["${name}"]`, "a string");
        }
      }
    }
  }
  return value as unknown as EmulatorSeed;
}

/** Reads a JSON file in the EmulatorSeed shape. */
export async function loadSeed(file: string): Promise<EmulatorSeed> {
  const text = await readFile(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message can quote the file's content, so it is not passed on.
    throw new Error(`Invalid emulator seed (${file}): not valid JSON`);
  }
  return validateSeed(parsed, file);
}
