import { existsSync } from "node:fs";
import path from "node:path";
import { startEmulator, type Emulator, type EmulatorSeed } from "@bruin-ts/infisical-emulator";
import { scratchRepo, sqlAsset, writeTree } from "./run-cli.js";

export const CLIENT_ID = "cli-test-client-id";
export const CLIENT_SECRET = "cli-test-CLIENT-SECRET-7f3a91";
export const PROJECT = "proj-cli";

export function seedWith(
  secrets: Record<string, string>,
  folders: Record<string, Record<string, string>> = {},
): EmulatorSeed {
  return {
    identities: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        projects: [PROJECT],
        deny: [{ environment: "dev", secretPath: "/locked" }],
      },
    ],
    projects: {
      [PROJECT]: { environments: { dev: { "/": secrets, ...folders, "/locked": { "duckdb-default": "{}" } } } },
    },
  };
}

export async function emulatorWith(
  secrets: Record<string, string>,
  options: { folders?: Record<string, Record<string, string>>; now?: () => number } = {},
): Promise<Emulator> {
  return startEmulator({ seed: seedWith(secrets, options.folders), now: options.now });
}

/** The variables a user exports to point bruin at the emulator. */
export function infisicalEnv(emulator: Emulator, extra: Record<string, string | undefined> = {}) {
  return {
    BRUIN_SECRETS_BACKEND: "infisical",
    BRUIN_INFISICAL_HOST: emulator.url,
    BRUIN_INFISICAL_CLIENT_ID: CLIENT_ID,
    BRUIN_INFISICAL_CLIENT_SECRET: CLIENT_SECRET,
    BRUIN_INFISICAL_PROJECT_ID: PROJECT,
    BRUIN_INFISICAL_ENVIRONMENT: "dev",
    ...extra,
  };
}

export const duckdbSecret = (file: string) => JSON.stringify({ type: "duckdb", details: { path: file } });

/**
 * A pipeline with no .bruin.yml: `assetsPerConnection` table assets on each
 * named DuckDB connection. Returns its folder and the database file of each connection.
 */
export function infisicalPipeline(connections: string[], assetsPerConnection = 1) {
  const root = scratchRepo("bruin-infisical-");
  const files: Record<string, string> = { "p/pipeline.yml": "name: secrets\n" };
  for (const connection of connections) {
    for (let i = 0; i < assetsPerConnection; i++) {
      const name = `${connection.replace(/[^a-z0-9]/gi, "_")}_t${i}`;
      files[`p/assets/${name}.sql`] = sqlAsset(
        `name: ${name}\ntype: duckdb.sql\nconnection: ${connection}\nmaterialization: {type: table}`,
        `SELECT ${i} AS n`,
      );
    }
  }
  writeTree(root, files);
  const dbFile = (connection: string) => path.join(root, "db", `${connection}.duckdb`);
  return { root, dir: path.join(root, "p"), dbFile, noDatabaseCreated: () => !existsSync(path.join(root, "db")) };
}
