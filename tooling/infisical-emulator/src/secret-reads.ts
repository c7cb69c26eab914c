import { canAccessProject, isReadDenied, type Identity } from "./auth.js";
import { notFound, readDenied } from "./errors.js";
import type { SecretQuery } from "./secret-query.js";
import { normalizeSecretPath, toApiSecret, type ApiSecret, type SecretStore } from "./secret-store.js";

/** How deep `${...}` references are followed before the value is left as it is. */
const MAX_REFERENCE_DEPTH = 5;
const REFERENCE = /\$\{([^}]+)\}/g;

/**
 * Expands `${KEY}` (same folder) and `${env.folder.sub.KEY}` like Infisical:
 * a reference to a missing secret becomes the empty string, one into a
 * denied place is a 403.
 */
function expandReferences(
  store: SecretStore,
  identity: Identity,
  projectId: string,
  environment: string,
  path: string,
  value: string,
  depth = 0,
): string {
  if (depth >= MAX_REFERENCE_DEPTH || !value.includes("${")) return value;
  return value.replace(REFERENCE, (_whole, reference: string) => {
    const parts = reference.trim().split(".");
    const key = parts.pop() as string;
    const env = parts.length > 0 ? (parts.shift() as string) : environment;
    const folder = parts.length > 0 || env !== environment ? normalizeSecretPath(parts.join("/")) : path;
    if (isReadDenied(identity, env, folder)) throw readDenied();
    const target = store.value(projectId, env, folder, key);
    if (!target) return "";
    return expandReferences(store, identity, projectId, env, folder, target.value, depth + 1);
  });
}

/** Project membership and the folder's existence, in the order Infisical checks them. */
function checkAccess(store: SecretStore, identity: Identity, query: SecretQuery): void {
  if (!store.hasProject(query.projectId)) throw notFound(`Project with ID '${query.projectId}' not found`);
  if (!canAccessProject(identity, query.projectId)) throw readDenied();
  store.folder(query.projectId, query.environment, query.secretPath);
  if (isReadDenied(identity, query.environment, query.secretPath)) throw readDenied();
}

function present(
  store: SecretStore,
  identity: Identity,
  query: SecretQuery,
  path: string,
  name: string,
): ApiSecret | undefined {
  const { projectId, environment } = query;
  const secret = store.value(projectId, environment, path, name, query.version);
  if (!secret) return undefined;
  const value =
    query.expandSecretReferences && query.viewSecretValue
      ? expandReferences(store, identity, projectId, environment, path, secret.value)
      : secret.value;
  return toApiSecret(projectId, environment, path, name, secret, value, query.viewSecretValue);
}

/** `GET /api/v3/secrets/raw/:name` and `GET /api/v4/secrets/:name`. */
export function readSecret(
  store: SecretStore,
  identity: Identity,
  query: SecretQuery,
  name: string,
): { secret: ApiSecret } {
  checkAccess(store, identity, query);
  // An identity has no personal secrets, so asking for one finds nothing.
  const secret = query.type === "shared" ? present(store, identity, query, query.secretPath, name) : undefined;
  if (!secret) throw notFound(`Secret with name '${name}' not found`);
  return { secret };
}

/**
 * `GET /api/v3/secrets/raw` and `GET /api/v4/secrets`. With recursive=true
 * sub-folders are included and those the identity may not read are skipped,
 * as Infisical does. Secrets carry no tags here, so any tagSlugs filter
 * leaves nothing.
 */
export function listSecrets(
  store: SecretStore,
  identity: Identity,
  query: SecretQuery,
): { secrets: ApiSecret[]; imports: never[] } {
  checkAccess(store, identity, query);
  const secrets: ApiSecret[] = [];
  if (query.tagSlugs.length > 0) return { secrets, imports: [] };
  for (const path of store.folderPaths(query.projectId, query.environment, query.secretPath, query.recursive)) {
    if (isReadDenied(identity, query.environment, path)) continue;
    for (const [name] of store.entries(query.projectId, query.environment, path)) {
      const secret = present(store, identity, { ...query, version: undefined }, path, name);
      if (secret) secrets.push(secret);
    }
  }
  return { secrets, imports: [] };
}
